import type { ProbeResults, SocketEntry, SocketOwner } from '../domain/ProbeResults';

/** An ss owner whose comm is not the comm /proc/PID/stat gave for that pid. */
export interface OwnerMismatch {
  socket: SocketEntry;
  owner: SocketOwner;
  statComm: string;
}

/** ss prints comm as iproute2 reads it from /proc/PID/stat: cut at its first ')'. */
function commMatches(ssComm: string, statComm: string): boolean {
  return ssComm === statComm || ssComm === statComm.split(')')[0];
}

/**
 * Drop owners whose comm disagrees with the probed /proc/PID/stat: a comm is chosen by the
 * process itself, and one shaped like ss's own `",pid=N,fd=N` could pass for another pid.
 */
export function verifyOwners(probes: ProbeResults): {
  sockets: SocketEntry[];
  mismatches: OwnerMismatch[];
} {
  const mismatches: OwnerMismatch[] = [];
  const sockets = probes.sockets.map((socket) => {
    const owners = socket.owners.filter((owner) => {
      const proc = probes.processes[owner.pid];
      if (!proc || commMatches(owner.comm, proc.comm)) return true;
      mismatches.push({ socket, owner, statComm: proc.comm });
      return false;
    });
    return owners.length === socket.owners.length ? socket : { ...socket, owners };
  });
  return { sockets, mismatches };
}
