import type { Redis } from 'ioredis';
import type { Diagnosis } from '../domain/diagnosis';
import { PortbotError } from '../domain/PortbotError';
import { DiagnosisSchema } from './DiagnosisSchema';
import { flatPairs } from '../redis/flatPairs';
import type { FiringOutcome, Incident, IncidentStore, ResolvedOutcome } from './Incident';
import {
  OPEN_CHECK,
  RECORD_FIRING,
  RECORD_RESOLVED,
  SAVE_DIAGNOSIS,
  SET_ROOT,
} from './incidentScripts';
import { runLuaScript } from '../redis/runLuaScript';
import { RedisPostSlot } from '../redis/RedisPostSlot';
import type { PostSlot } from '../domain/PostSlot';

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
    const incident = toIncident(flatPairs(reply[3]));
    return reply[0] === 'opened'
      ? { kind: 'opened', incident }
      : { kind: 'repeat', incident, diagnose: reply[2] === 1 };
  }

  async hasOpen(host: string, port: number): Promise<boolean> {
    return (await this.redis.exists(pointerKey(host, port))) === 1;
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
    return { kind: 'resolved', incident: toIncident(flatPairs(reply[2])) };
  }

  async get(id: string): Promise<Incident | null> {
    const h = await this.redis.hgetall(PREFIX + id);
    return h.id === undefined ? null : toIncident(h);
  }

  async setRoot(id: string, channel: string, ts: string): Promise<boolean> {
    return (await runLuaScript(this.redis, SET_ROOT, [PREFIX + id], [channel, ts])) === 1;
  }

  rootSlot(id: string): PostSlot {
    return new RedisPostSlot(this.redis, {
      hashKey: PREFIX + id,
      fieldPrefix: 'root',
      channelField: 'channel',
    });
  }

  replySlot(threadId: string, replyId: string): PostSlot {
    // One hash per thread, one field group per reply: it expires with the incident's TTL.
    return new RedisPostSlot(this.redis, {
      hashKey: `${PREFIX}replies:${threadId}`,
      fieldPrefix: `${replyId}:`,
      channelField: `${replyId}:channel`,
      createWithTtlSeconds: this.ttlSeconds,
    });
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${PREFIX}once:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async releaseClaim(key: string): Promise<void> {
    await this.redis.del(`${PREFIX}once:${key}`);
  }

  async saveDiagnosis(id: string, diagnosis: Diagnosis): Promise<Incident | null> {
    const reply = (await runLuaScript(
      this.redis,
      SAVE_DIAGNOSIS,
      [PREFIX + id],
      [JSON.stringify(diagnosis)],
    )) as string[] | null;
    return reply === null ? null : toIncident(flatPairs(reply));
  }

  async getDiagnosis(id: string): Promise<Diagnosis | null> {
    const json = await this.redis.hget(PREFIX + id, 'diagnosis');
    if (json === null) return null;
    const parsed = DiagnosisSchema.safeParse(parseJson(json));
    if (parsed.success) return parsed.data;
    throw new PortbotError('INTERNAL', `stored diagnosis of ${id} is not valid`, {
      userFacing: false,
      cause: parsed.error,
    });
  }

  async countOpen(): Promise<number> {
    // Incidents whose hash expired without a resolution drop out of the open set here.
    await this.redis.zremrangebyscore(`${PREFIX}open`, '-inf', Date.now() - this.ttlSeconds * 1000);
    return this.redis.zcard(`${PREFIX}open`);
  }

  private async mustGet(id: string): Promise<Incident> {
    const incident = await this.get(id);
    if (!incident)
      throw new PortbotError('INTERNAL', `incident ${id} vanished`, { userFacing: false });
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
