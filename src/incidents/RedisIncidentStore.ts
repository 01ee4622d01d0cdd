import type { Redis } from 'ioredis';
import type { FiringOutcome, Incident, IncidentStore, ResolvedOutcome } from './Incident';
import { OPEN_CHECK, RECORD_FIRING, RECORD_RESOLVED, SET_ROOT } from './incidentScripts';

const PREFIX = 'portbot:incident:';

/** IncidentStore on Redis: one Lua script per state change, so concurrent serve processes agree. */
export class RedisIncidentStore implements IncidentStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  async recordFiring(input: Parameters<IncidentStore['recordFiring']>[0]): Promise<FiringOutcome> {
    const reply = (await this.redis.eval(
      RECORD_FIRING,
      3,
      pointerKey(input.host, input.port),
      `${PREFIX}seq`,
      `${PREFIX}open`,
      PREFIX,
      input.host,
      String(input.port),
      input.channel,
      input.summary,
      String(input.now),
      String(input.rediagnoseIntervalMs),
      String(this.ttlSeconds),
    )) as [string, string, number];
    const incident = await this.mustGet(reply[1]);
    return reply[0] === 'opened'
      ? { kind: 'opened', incident }
      : { kind: 'repeat', incident, diagnose: reply[2] === 1 };
  }

  async openCheck(input: Parameters<IncidentStore['openCheck']>[0]): Promise<Incident> {
    const id = (await this.redis.eval(
      OPEN_CHECK,
      1,
      `${PREFIX}seq`,
      PREFIX,
      input.host,
      String(input.port),
      input.channel,
      input.summary,
      String(input.now),
      String(this.ttlSeconds),
      input.requestedBy,
    )) as string;
    return this.mustGet(id);
  }

  async recordResolved(input: {
    host: string;
    port: number;
    now: number;
  }): Promise<ResolvedOutcome> {
    const reply = (await this.redis.eval(
      RECORD_RESOLVED,
      2,
      pointerKey(input.host, input.port),
      `${PREFIX}open`,
      PREFIX,
      String(input.now),
    )) as string[];
    if (reply[0] !== 'resolved' || reply[1] === undefined) return { kind: 'not-open' };
    return { kind: 'resolved', incident: await this.mustGet(reply[1]) };
  }

  async get(id: string): Promise<Incident | null> {
    const h = await this.redis.hgetall(PREFIX + id);
    return h.id === undefined ? null : toIncident(h);
  }

  async setRoot(id: string, channel: string, ts: string): Promise<boolean> {
    return (await this.redis.eval(SET_ROOT, 1, PREFIX + id, channel, ts)) === 1;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${PREFIX}once:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async saveDiagnosis(id: string, diagnosisJson: string): Promise<void> {
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
