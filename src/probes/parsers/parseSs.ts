import type { SocketEntry, SocketOwner } from '../../domain/ProbeResults';

const NETIDS = new Set(['tcp', 'udp', 'raw', 'sctp', 'dccp', 'mptcp', 'u_str', 'u_dgr', 'u_seq']);
// Netid State Recv-Q Send-Q Local Peer [rest: users:(…) timer:(…) ino:… …]
const LINE = /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/;
// Comm is quoted and may contain spaces, parens or commas; pid/fd anchor the end of each owner.
const OWNER = /\("((?:[^"\\]|\\.)*?)",pid=(\d+),fd=(\d+)\)/g;

/** Port of an ss address column: everything after the last ':' ("*" and non-numbers give null). */
export function portOf(address: string): number | null {
  const port = address.slice(address.lastIndexOf(':') + 1);
  return /^\d+$/.test(port) ? Number(port) : null;
}

export function parseSsOwners(rest: string): SocketOwner[] {
  const users = rest.indexOf('users:(');
  if (users < 0) return [];
  const owners: SocketOwner[] = [];
  for (const m of rest.slice(users).matchAll(OWNER)) {
    owners.push({ comm: m[1] ?? '', pid: Number(m[2]), fd: Number(m[3]) });
  }
  return owners;
}

/** `ss -H -tuanp` output (with a Netid column); lines that are not sockets (sudo noise) are skipped. */
export function parseSs(output: string): SocketEntry[] {
  const sockets: SocketEntry[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    const m = LINE.exec(line);
    if (!m) continue;
    const [, netid = '', state = '', , , local = '', peer = '', rest = ''] = m;
    if (!NETIDS.has(netid)) continue;
    const localPort = portOf(local);
    if (localPort === null) continue;
    sockets.push({
      netid,
      state,
      localAddress: local,
      localPort,
      peerAddress: peer,
      owners: parseSsOwners(rest),
      raw: line,
    });
  }
  return sockets;
}
