import type { PortSamples, SocketEntry } from '../domain/ProbeResults';

/** One process (or an owner ss could not show) seen on the port while sampling. */
export interface Sighting {
  /** `python3` (pid 4123) or null when ss showed no owner. */
  comm: string | null;
  pid: number | null;
  /** One of the socket lines it was seen with, as ss printed it. */
  socket: SocketEntry;
  /**
   * Each time it appeared: host time (epoch seconds) and how long, up to the sample that no
   * longer showed it (an upper bound, one sampling interval coarse).
   */
  episodes: { at: number; seconds: number }[];
}

function keyOf(s: SocketEntry): { key: string; comm: string | null; pid: number | null }[] {
  if (s.owners.length === 0) return [{ key: `?${s.localAddress}`, comm: null, pid: null }];
  return s.owners.map((o) => ({ key: `${o.pid}`, comm: o.comm, pid: o.pid }));
}

/**
 * Who held the port across the samples, apart from `ignore` (the managed LB): each printed change
 * stands for the samples up to the next change, and a holder present in consecutive changes is
 * one episode. Pure; times are the host's (no clock of portbot's is involved).
 */
export function summarizeSamples(
  samples: PortSamples,
  ignore: (s: SocketEntry) => boolean,
): Sighting[] {
  const byKey = new Map<string, Sighting & { lastChange: number }>();
  samples.changes.forEach((change, i) => {
    const until = samples.changes[i + 1]?.at ?? samples.endedAt;
    const span = Math.max(0, until - change.at);
    const seen = new Set<string>();
    for (const socket of change.sockets) {
      if (ignore(socket)) continue;
      for (const { key, comm, pid } of keyOf(socket)) {
        if (seen.has(key)) continue;
        seen.add(key);
        const s = byKey.get(key) ?? { comm, pid, socket, episodes: [], lastChange: -2 };
        const last = s.episodes[s.episodes.length - 1];
        if (last && s.lastChange === i - 1) last.seconds += span;
        else s.episodes.push({ at: change.at, seconds: span });
        s.lastChange = i;
        byKey.set(key, s);
      }
    }
  });
  return [...byKey.values()]
    .map(({ lastChange: _, ...s }) => s)
    .sort((a, b) => b.episodes.length - a.episodes.length);
}
