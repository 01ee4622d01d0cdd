import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DIAGNOSE_QUEUE } from '../../src/queue/jobTypes';
import { startLocalSlack, type LocalSlack } from '../../src/localSlack/startLocalSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import { ALERT_CHANNEL, ALLOWED_USER, serviceEnv, writeIdleInventory } from '../support/serviceEnv';
import { connectTestRedis } from '../support/testRedis';

/** The workspace the fault suite's policy allows (slashCommandBody's default team). */
export const OUR_TEAM = 'T0PORTBOT';
export const AUDIT_TOKEN = 'fault-audit-token-0123456789';

export interface FaultServe {
  serve: PortbotProcess;
  standIn: LocalSlack;
  redis: Redis;
  env: Record<string, string>;
  url: (path: string) => string;
  /** Diagnosis jobs ever queued in this suite's Redis db. */
  queuedJobs: () => Promise<number>;
  close: () => Promise<void>;
}

/** A real `portbot serve` (no worker: what was queued stays countable) on its own Redis db. */
export async function startFaultServe(opts: {
  db: number;
  extra?: Record<string, string>;
}): Promise<FaultServe> {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-fault-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    `commands:\n  channels: ["${ALERT_CHANNEL}"]\n  users: ["${ALLOWED_USER}"]\nworkspaces: ["${OUR_TEAM}"]\n`,
  );
  const redis = await connectTestRedis(opts.db);
  const standIn = await startLocalSlack({ autoCreateChannels: true });
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: opts.db,
    inventory: writeIdleInventory(dir),
    extra: { PORTBOT_POLICY: policy, PORTBOT_AUDIT_TOKEN: AUDIT_TOKEN, ...opts.extra },
  });
  const serve = await startPortbot(['serve'], env);
  const queue = new Queue(DIAGNOSE_QUEUE, { connection: redis, prefix: 'portbot' });
  return {
    serve,
    standIn,
    redis,
    env,
    url: (path) => `http://127.0.0.1:${serve.port}${path}`,
    queuedJobs: async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      return Object.values(c).reduce((a, b) => a + b, 0);
    },
    close: async () => {
      const code = await serve.stop();
      await queue.close();
      await standIn.close();
      await redis.quit();
      if (code !== 0) throw new Error(`serve exited ${code}:\n${serve.output()}`);
    },
  };
}
