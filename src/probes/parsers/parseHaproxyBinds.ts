import { normalizeListen } from '../normalizeListen';

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
        if (addr !== '') binds.push({ section, address: normalizeListen(addr) });
      }
    }
  }
  return binds;
}
