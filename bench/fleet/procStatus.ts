import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** A `kB` field of /proc/PID/status (VmRSS, VmHWM) in MB (10^6 bytes); undefined when gone. */
export function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  return m ? (Number(m[1]) * 1024) / 1e6 : undefined;
}

const ESTABLISHED = '01';
const SSH_PORT_HEX = ':0016';

/**
 * TCP connections to port 22 in state ESTABLISHED that the process itself holds: its socket
 * fds (/proc/PID/fd → socket:[inode]) matched against the kernel's table of its network
 * namespace (/proc/PID/net/tcp and tcp6), so other processes' SSH sessions do not count.
 */
export function establishedSshConnections(pid: number): number {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 0;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  let count = 0;
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const remote = f[2];
      if (f[3] === ESTABLISHED && remote?.endsWith(SSH_PORT_HEX) && inodes.has(f[9] ?? ''))
        count += 1;
    }
  }
  return count;
}
