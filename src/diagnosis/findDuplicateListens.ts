/**
 * `80`, `*:80`, `0.0.0.0:80`, `:80` all mean every IPv4 address; `[::]:80` and HAProxy's `:::80`
 * every IPv6 one. HAProxy's `ipv4@`/`ipv6@` prefixes and trailing listen parameters are dropped.
 */
export function normalizeListen(raw: string): string {
  let addr = (raw.trim().split(/\s+/)[0] ?? '').toLowerCase();
  addr = addr.replace(/^(ipv4|ipv6|tcp|tcp4|tcp6)@/, '');
  if (/^\d+$/.test(addr)) return `0.0.0.0:${addr}`;
  if (addr.startsWith(':::')) return `[::]:${addr.slice(3)}`;
  const m = /^(.*):(\d+)$/.exec(addr);
  if (!m) return addr;
  const host = m[1] ?? '';
  const port = m[2] ?? '';
  if (host === '' || host === '*' || host === '0.0.0.0') return `0.0.0.0:${port}`;
  if (host === '[::]' || host === '::') return `[::]:${port}`;
  return `${host}:${port}`;
}

/**
 * Addresses declared twice. nginx server blocks sharing an address are ordinary virtual
 * hosting: probes/parsers/flattenNginxListens already lists an nginx address only as often as
 * one server block declares it, so any repeat here is a repeat inside one block. HAProxy has no
 * virtual hosts: two binds of one address conflict wherever they are.
 */
export function findDuplicateListens(configListens: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const entry of configListens) {
    const address = normalizeListen(entry);
    if (seen.has(address)) dups.add(address);
    seen.add(address);
  }
  return [...dups];
}
