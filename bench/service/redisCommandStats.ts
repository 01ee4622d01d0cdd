import type { Redis } from 'ioredis';

/** Calls and server time per command, from INFO commandstats (server-wide, all databases). */
export type CommandStats = Map<string, { calls: number; usec: number }>;

export async function redisCommandStats(redis: Redis): Promise<CommandStats> {
  const out: CommandStats = new Map();
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m?.[1]) out.set(m[1], { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

/**
 * What Redis did per alert between two samples, busiest first. Commands run inside Lua scripts
 * are counted too (an EVAL that runs HINCRBY shows as both). Anything else using the server
 * meanwhile adds to it: the bench records this beside the load averages, it does not gate on it.
 */
export function perAlert(
  before: CommandStats,
  after: CommandStats,
  alerts: number,
): Record<string, { calls: number; usecPerAlert: number }> {
  const rows: [string, { calls: number; usecPerAlert: number }][] = [];
  for (const [cmd, a] of after) {
    const b = before.get(cmd) ?? { calls: 0, usec: 0 };
    const calls = (a.calls - b.calls) / alerts;
    if (calls < 0.05) continue;
    rows.push([
      cmd,
      {
        calls: Math.round(calls * 100) / 100,
        usecPerAlert: Math.round(((a.usec - b.usec) / alerts) * 100) / 100,
      },
    ]);
  }
  rows.sort((x, y) => y[1].usecPerAlert - x[1].usecPerAlert);
  return Object.fromEntries(rows);
}
