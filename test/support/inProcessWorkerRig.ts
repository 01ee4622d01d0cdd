import type { Redis } from 'ioredis';
import type { Diagnosis } from '../../src/domain/diagnosis';
import { BullJobQueue } from '../../src/queue/BullJobQueue';
import { RedisIncidentStore } from '../../src/incidents/RedisIncidentStore';
import { RedisFleetCheckStore } from '../../src/fleetChecks/RedisFleetCheckStore';
import { RedisHeldSummaryStore } from '../../src/heldAlerts/RedisHeldSummaryStore';
import { RedisHostGate } from '../../src/redis/RedisHostGate';
import { RedisTokenBucket } from '../../src/redis/RedisTokenBucket';
import { RateLimitedPoster } from '../../src/slack/RateLimitedPoster';
import { WebClientPoster } from '../../src/slack/WebClientPoster';
import { createWebClients } from '../../src/slack/createWebClients';
import { startWorkers } from '../../src/worker/startWorkers';
import { LOCAL_SLACK_TOKEN } from '../../src/localSlack/LocalSlackStore';
import { diagnosisFixture } from './diagnosisFixture';
import { TEST_REDIS_HOST, TEST_REDIS_PORT } from './testRedis';
import type { TestSlack } from './localSlack/startTestSlack';

export const RIG_CHANNEL = 'C0ALERTS';

/** Log lines kept for assertions and for a readable failure. */
export interface RigLog {
  lines: string[];
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
  debug(): void;
}

export function rigLog(): RigLog {
  const lines: string[] = [];
  const add = (level: string) => (o: object, m: string) =>
    void lines.push(`${level} ${m} ${JSON.stringify(o)}`);
  return {
    lines,
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
    debug: () => undefined,
  };
}

/**
 * The production worker (startWorkers, BullJobQueue, Redis stores, the Slack clients serve
 * builds) in this process against a TestSlack: no lab, no child processes, so Slack faults can
 * be timed to the request.
 */
export function inProcessWorkerRig(redis: Redis, slack: TestSlack, db: number, prefix: string) {
  const connection = {
    host: TEST_REDIS_HOST,
    port: TEST_REDIS_PORT,
    db,
    maxRetriesPerRequest: null,
  };
  const { client, posts } = createWebClients(LOCAL_SLACK_TOKEN, { apiUrl: slack.url });
  const poster = new WebClientPoster(client, posts);
  const incidents = new RedisIncidentStore(redis, 3600);
  const checks = new RedisFleetCheckStore(redis, 3600);
  const queue = new BullJobQueue(connection, prefix);
  const log = rigLog();
  let diagnoses = 0;
  const worker = (
    diagnose: () => Promise<Diagnosis> = () => Promise.resolve(diagnosisFixture('healthy')),
  ) =>
    startWorkers({
      connection,
      prefix,
      incidents,
      checks,
      heldSummaries: new RedisHeldSummaryStore(redis),
      slack: new RateLimitedPoster(poster, new RedisTokenBucket(redis), {
        perChannel: { perSecond: 1, burst: 3 },
        updates: { perSecond: 50 / 60, burst: 5 },
      }),
      history: poster,
      hosts: new RedisHostGate(redis, { slotsPerHost: 2, slotLeaseMs: 120_000, breakerMs: 30_000 }),
      diagnose: () => {
        diagnoses += 1;
        return diagnose();
      },
      log,
      audit: () => Promise.resolve(),
      concurrency: 8,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      drainMs: 2000,
    });
  /** What serve does with a firing alert (see the alert route). */
  async function fireAlert(host: string, port: number, rediagnoseIntervalMs = 600_000) {
    const r = await incidents.recordFiring({
      host,
      port,
      channel: RIG_CHANNEL,
      summary: 'fault test',
      now: Date.now(),
      rediagnoseIntervalMs,
    });
    if (r.kind === 'opened' || r.incident.rootTs === null)
      await queue.enqueueDiagnose(r.incident.id, { first: true });
    if (r.kind === 'repeat' && r.diagnose) await queue.enqueueDiagnose(r.incident.id);
    return r.incident.id;
  }
  return { incidents, queue, worker, fireAlert, log, diagnoses: () => diagnoses };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
