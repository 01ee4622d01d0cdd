import type { Redis } from 'ioredis';
import { acceptAlerts, type AcceptAlertsDeps } from '../../../src/ingress/acceptAlerts';
import type { AlertEvent, AlertSource } from '../../../src/ingress/alerts/AlertEvent';
import { DEFAULT_ALERT_MAPPING } from '../../../src/config/AlertMappingSchema';
import { RedisIncidentStore } from '../../../src/incidents/RedisIncidentStore';
import { RedisTokenBucket } from '../../../src/redis/RedisTokenBucket';
import type { JobQueue } from '../../../src/queue/JobQueue';
import type { AuditEventInput as AuditInput } from '../../../src/audit/AuditEvent';
import { hostConfig } from '../../support/factories/hostConfig';
import { silentLog } from '../../support/fakes/silentLog';
import { connectTestRedis } from '../../support/testRedis';

const DB = 14;
let redis: Redis;

beforeAll(async () => {
  redis = await connectTestRedis(DB);
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  await redis.flushdb();
});

const firing = (port: number, source: AlertSource = 'alertmanager'): AlertEvent => ({
  source,
  status: 'firing',
  labels: { instance: `10.0.0.11:${port}` },
  summary: 'down',
  startsAt: null,
  endsAt: null,
  fingerprint: null,
});

/** Two "serve processes": each its own store and bucket, one Redis. */
function serve(queued: string[], audited: AuditInput[]): AcceptAlertsDeps {
  const queue: JobQueue = {
    enqueueDiagnose: (id) => Promise.resolve(void queued.push(id)),
    enqueueRefreshRoot: () => Promise.resolve(),
    enqueueFleetCheck: () => Promise.reject(new Error('alerts never start fleet checks')),
    counts: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  };
  return {
    incidents: new RedisIncidentStore(redis, 3600),
    queue,
    inventory: { path: '/i.yaml', hosts: [hostConfig()], haGroups: [] },
    mapping: DEFAULT_ALERT_MAPPING,
    channel: 'C1',
    rediagnoseIntervalMs: 60_000,
    now: () => Date.now(),
    log: silentLog,
    audit: (e) => Promise.resolve(void audited.push(e)),
    newIncidentCap: { bucket: new RedisTokenBucket(redis), perMinute: 5 },
  };
}

describe('new-incident cap per source (Redis, shared by serves)', () => {
  it('opens at most the cap across two serves, holds the rest back in one audit per payload', async () => {
    const queued: string[] = [];
    const audited: AuditInput[] = [];
    const [a, b] = [serve(queued, audited), serve(queued, audited)];
    const [ra, rb] = await Promise.all([
      acceptAlerts(
        a,
        [8001, 8002, 8003, 8004].map((p) => firing(p)),
      ),
      acceptAlerts(
        b,
        [8005, 8006, 8007, 8008].map((p) => firing(p)),
      ),
    ]);
    const outcomes = [...ra, ...rb].map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'held')).toHaveLength(3);
    expect(queued).toHaveLength(5);
    const held = audited.filter((e) => e.type === 'alert.held');
    const heldCount = held.reduce((n, e) => n + Number(e.detail.count), 0);
    expect(heldCount).toBe(3);
    expect(held.length).toBeLessThanOrEqual(2); // one per payload at most
    for (const e of held)
      expect(String(e.detail.targets)).toMatch(/^10\.0\.0\.11:80\d\d|lb-01:80\d\d/);
    expect(audited.filter((e) => e.type === 'alert.opened')).toHaveLength(5);
  });

  it('does not count repeats of an open incident, and caps each source apart', async () => {
    const queued: string[] = [];
    const audited: AuditInput[] = [];
    const a = serve(queued, audited);
    const first = await acceptAlerts(
      a,
      [8001, 8002, 8003, 8004, 8005].map((p) => firing(p)),
    );
    expect(first.every((r) => r.outcome === 'opened')).toBe(true);
    // Repeats of the five open incidents pass (no token needed); a sixth target is held back.
    const again = await acceptAlerts(
      a,
      [8001, 8002, 8003, 8004, 8005, 8006].map((p) => firing(p)),
    );
    expect(again.map((r) => r.outcome)).toEqual([
      'repeat',
      'repeat',
      'repeat',
      'repeat',
      'repeat',
      'held',
    ]);
    // Another source has its own budget.
    const other = await acceptAlerts(a, [firing(8006, 'generic')]);
    expect(other[0]?.outcome).toBe('opened');
  });
});
