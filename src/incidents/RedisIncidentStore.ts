import type { Redis } from 'ioredis';
import type { FiringOutcome, Incident, IncidentStore, ResolvedOutcome } from './Incident';
import { OPEN_CHECK, RECORD_FIRING, RECORD_RESOLVED, SET_ROOT } from './incidentScripts';
import { runLuaScript } from '../redis/runLuaScript';

const PREFIX = 'portbot:incident:';

/** IncidentStore on Redis: one Lua script per state change, so concurrent serve processes agree. */
export class RedisIncidentStore implements IncidentStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async recordFiring(input: Parameters<IncidentStore['recordFiring']>[0]): Promise<FiringOutcome> {
    const reply = (await runLuaScript(
      this.redis,
      RECORD_FIRING,
      [pointerKey(input.host, input.port), `${PREFIX}seq`, `${PREFIX}open`],
      [
        PREFIX,
        input.host,
        String(input.port),
        input.channel,
        input.summary,
        String(input.now),
        String(input.rediagnoseIntervalMs),
        String(this.ttlSeconds),
      ],
    )) as [string, string, number, string[]];
    const incident = toIncident(pairs(reply[3]));
    return reply[0] === 'opened'
      ? { kind: 'opened', incident }
      : { kind: 'repeat', incident, diagnose: reply[2] === 1 };
  }

  async openCheck(input: Parameters<IncidentStore['openCheck']>[0]): Promise<Incident> {
    const id = (await runLuaScript(
      this.redis,
      OPEN_CHECK,
      [`${PREFIX}seq`],
      [
        PREFIX,
        input.host,
        String(input.port),
        input.channel,
        input.summary,
        String(input.now),
        String(this.ttlSeconds),
        input.requestedBy,
      ],
    )) as string;
    return this.mustGet(id);
  }

  async recordResolved(input: {
    host: string;
    port: number;
    now: number;
  }): Promise<ResolvedOutcome> {
    const reply = (await runLuaScript(
      this.redis,
      RECORD_RESOLVED,
      [pointerKey(input.host, input.port), `${PREFIX}open`],
      [PREFIX, String(input.now)],
    )) as [string, string?, string[]?];
    if (reply[0] !== 'resolved' || !reply[2]) return { kind: 'not-open' };
    return { kind: 'resolved', incident: toIncident(pairs(reply[2])) };
  }

  async get(id: string): Promise<Incident | null> {
    const h = await this.redis.hgetall(PREFIX + id);
    return h.id === undefined ? null : toIncident(h);
  }

  async setRoot(id: string, channel: string, ts: string): Promise<boolean> {
    return (await runLuaScript(this.redis, SET_ROOT, [PREFIX + id], [channel, ts])) === 1;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${PREFIX}once:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async releaseClaim(key: string): Promise<void> {
    await this.redis.del(`${PREFIX}once:${key}`);
  }

  async saveDiagnosis(id: string, diagnosisJson: string): Promise<void> {
    // HSET on an expired incident would recreate its hash without a TTL: a key leaked forever.
    if ((await this.redis.exists(PREFIX + id)) === 0) return;
    await this.redis.hset(PREFIX + id, 'diagnosis', diagnosisJson);
  }

  async getDiagnosis(id: string): Promise<string | null> {
    return this.redis.hget(PREFIX + id, 'diagnosis');
  }

  async countOpen(): Promise<number> {
    // Incidents whose hash expired without a resolution drop out of the open set here.
    await this.redis.zremrangebyscore(`${PREFIX}open`, '-inf', Date.now() - this.ttlSeconds * 1000);
    return this.redis.zcard(`${PREFIX}open`);
  }

  private async mustGet(id: string): Promise<Incident> {
    const incident = await this.get(id);
    if (!incident) throw new Error(`incident ${id} vanished`);
    return incident;
  }
}

/** HGETALL inside Lua answers a flat [field, value, …] list. */
function pairs(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

function pointerKey(host: string, port: number): string {
  return `${PREFIX}key:${host}:${port}`;
}

function toIncident(h: Record<string, string>): Incident {
  const num = (k: string) => (h[k] === undefined ? null : Number(h[k]));
  return {
    id: h.id ?? '',
    host: h.host ?? '',
    port: Number(h.port),
    status: h.status === 'resolved' ? 'resolved' : 'open',
    channel: h.channel ?? '',
    rootTs: h.rootTs ?? null,
    alertCount: Number(h.alertCount ?? 0),
    openedAt: Number(h.openedAt),
    lastAlertAt: Number(h.lastAlertAt),
    resolvedAt: num('resolvedAt'),
    lastDiagnosedAt: num('lastDiagnosedAt'),
    summary: h.summary ?? '',
    requestedBy: h.requestedBy ?? null,
  };
}
