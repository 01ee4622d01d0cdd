const SECTIONS = new Set([
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'peers',
  'resolvers',
  'userlist',
  'program',
  'mailers',
  'cache',
  'ring',
  'http-errors',
  'log-forward',
]);

export interface HaproxyBind {
  /** "frontend fe_http", "listen stats", … */
  section: string;
  address: string;
}

/** HAProxy bind address as its bind errors print it: ":80" and "*:80" become "0.0.0.0:80". */
export function normalizeHaproxyBind(value: string): string {
  const v = value.replace(/^(?:ipv4|ipv6|tcp|tcp4|tcp6|udp|udp4|udp6|quic4|quic6)@/, '');
  if (v.startsWith(':')) return `0.0.0.0${v}`;
  if (v.startsWith('*:')) return `0.0.0.0${v.slice(1)}`;
  return v;
}

/** Every address of every `bind` line, in file order, duplicates kept (HAProxy has no vhosts). */
export function parseHaproxyBinds(config: string): HaproxyBind[] {
  const binds: HaproxyBind[] = [];
  let section = '';
  for (const raw of config.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [keyword = '', first] = line.split(/\s+/);
    if (SECTIONS.has(keyword)) {
      section = line;
    } else if (keyword === 'bind' && first !== undefined) {
      for (const addr of first.split(',')) {
        if (addr !== '') binds.push({ section, address: normalizeHaproxyBind(addr) });
      }
    }
  }
  return binds;
}
