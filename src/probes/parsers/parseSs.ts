import type { SocketEntry, SocketOwner } from '../../domain/ProbeResults';
import { portOf } from '../normalizeListen';

const NETIDS = new Set(['tcp', 'udp', 'raw', 'sctp', 'dccp', 'mptcp', 'u_str', 'u_dgr', 'u_seq']);
// Netid State Recv-Q Send-Q Local Peer [rest: users:(…) timer:(…) ino:… …]
const LINE = /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/;
/**
 * One `("<comm>",pid=<n>,fd=<n>)` tuple, read from where the previous one ended. ss prints comm
 * unescaped (iproute2 6.1 cuts it at its first ')'), so a process can name itself
 * `",pid=1,fd=1`: a tuple ends only at `",pid=N,fd=N)` followed by `,(` or the list's `)`.
 */
const TUPLE = /\("(.*?)",pid=(\d+),fd=(\d+)\)(?=,\(|\))/y;
const USERS = 'users:(';

/** Owners in the `users:(…)` column; none unless the whole list parses (a forged one may not). */
export function parseSsOwners(rest: string): SocketOwner[] {
  const start = rest.indexOf(USERS);
  if (start < 0) return [];
  const owners: SocketOwner[] = [];
  TUPLE.lastIndex = start + USERS.length;
  for (;;) {
    const m = TUPLE.exec(rest);
    if (!m) return [];
    owners.push({ comm: m[1] ?? '', pid: Number(m[2]), fd: Number(m[3]) });
    if (rest[TUPLE.lastIndex] === ')') return owners;
    TUPLE.lastIndex += 1;
  }
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
