/**
 * The one place that reads listen addresses, whoever wrote them: nginx `listen`, HAProxy `bind`,
 * ss columns and the bind errors the LBs log.
 */

// HAProxy address-family prefixes that still name an IP address (unix@, abns@, fd@ do not).
const FAMILY = /^(ipv4|ipv6|tcp|tcp4|tcp6|udp|udp4|udp6|quic4|quic6)@/;

/** The port after the last colon (`0.0.0.0:80`, `[::]:80`, `:::80`, `*:80`, `fe80::1%eth0:546`). */
export function portOf(address: string): number | null {
  const m = /:(\d{1,5})$/.exec(address.trim());
  if (!m?.[1]) return null;
  const port = Number(m[1]);
  return port >= 1 && port <= 65535 ? port : null;
}

/** The address without its port and brackets: `[::1]:80` → `::1`, `:::80` → `::`. */
export function hostOf(address: string): string {
  const a = address.trim();
  const host = portOf(a) === null ? a : a.slice(0, a.lastIndexOf(':'));
  return host.replace(/^\[(.*)\]$/, '$1');
}

function splitHostPort(addr: string): { host: string; port: string | null } | null {
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0) return null;
    const rest = addr.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return null;
    return { host: addr.slice(1, end), port: rest === '' ? null : rest.slice(1) };
  }
  const colon = addr.lastIndexOf(':');
  return colon < 0
    ? { host: addr, port: null }
    : { host: addr.slice(0, colon), port: addr.slice(colon + 1) };
}

/**
 * Canonical `host:port`: `0.0.0.0:P` for the IPv4 wildcard (`80`, `:80`, `*:80`, `ipv4@:80`),
 * `[::]:P` for the IPv6 one (`[::]:80`, `:::80`, `ipv6@:80`), IPv6 hosts in brackets.
 * `defaultPort` applies when no port is written (nginx listens on 80 then). Trailing listen
 * parameters are dropped; unix sockets and anything unreadable come back as written.
 */
export function normalizeListen(raw: string, defaultPort: number | null = null): string {
  const token = raw.trim().split(/\s+/)[0] ?? '';
  const family = FAMILY.exec(token.toLowerCase())?.[1] ?? '';
  if (family === '' && (token.includes('@') || token.startsWith('unix:') || token.startsWith('/')))
    return token;
  const addr = token.slice(family === '' ? 0 : family.length + 1).toLowerCase();
  const anyHost = family.endsWith('6') ? '[::]' : '0.0.0.0';
  if (/^\d+$/.test(addr)) return `${anyHost}:${addr}`;
  const parts = splitHostPort(addr);
  const port = parts?.port ?? (defaultPort === null ? null : String(defaultPort));
  if (!parts || port === null) return addr;
  const { host } = parts;
  if (host === '' || host === '*') return `${anyHost}:${port}`;
  if (host === '0.0.0.0') return `0.0.0.0:${port}`;
  if (host === '::') return `[::]:${port}`;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
