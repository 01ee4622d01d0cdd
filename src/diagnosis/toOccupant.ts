import type { Occupant } from '../domain/diagnosis';
import type { ProbeResults, ProcessInfo, SocketEntry } from '../domain/ProbeResults';

interface OccupantSource {
  pid: number;
  comm: string;
  socket: SocketEntry;
  proc: ProcessInfo | null;
  unit: string | null;
  container: string | null;
}

export function toOccupant(src: OccupantSource, probes: ProbeResults): Occupant {
  const proc = src.proc;
  const uid = proc?.uid ?? null;
  return {
    pid: src.pid,
    ppid: proc?.ppid ?? null,
    user: proc?.user ?? (uid === 0 ? 'root' : null),
    uid,
    comm: src.comm,
    cmdline: proc?.cmdline ?? null,
    exe: proc?.exe ?? null,
    startedAt: proc ? startedAt(proc.startTicks, probes.bootTime, probes.clockTicks) : null,
    startTicks: proc?.startTicks ?? null,
    socketState: src.socket.state,
    localAddress: src.socket.localAddress,
    unit: src.unit,
    container: src.container,
  };
}

/** Boot time plus the start offset in clock ticks, as ISO-8601 UTC to the second. */
export function startedAt(
  startTicks: number,
  bootTime: number | null,
  clockTicks: number,
): string | null {
  const exact = startSeconds(startTicks, bootTime, clockTicks);
  if (exact === null) return null;
  return new Date(Math.floor(exact) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Seconds since the epoch at which a process started (fractional: ticks are 1/CLK_TCK s). */
export function startSeconds(
  startTicks: number,
  bootTime: number | null,
  clockTicks: number,
): number | null {
  if (bootTime === null || !(clockTicks > 0) || !Number.isFinite(startTicks)) return null;
  return bootTime + startTicks / clockTicks;
}
