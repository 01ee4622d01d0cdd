import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DIAGNOSE_QUEUE, FLEET_CHECK_QUEUE, REFRESH_ROOT_QUEUE } from '../../src/queue/jobTypes';
import { startLocalSlack, type LocalSlack } from '../../src/localSlack/startLocalSlack';
import type { PortbotProcess } from '../../test/support/portbotProcess';
import { serviceEnv } from '../../test/support/serviceEnv';
import { TEST_REDIS_HOST, TEST_REDIS_PORT, connectTestRedis } from '../../test/support/testRedis';
import { startPortbot } from '../../test/support/portbotProcess';
import { SlackCallTracker } from './SlackCallTracker';

/** The bench's own Redis database, flushed before and after (integration suites use 12-14). */
export const BENCH_REDIS_DB = 15;
const STOP_GRACE_MS = 10_000;

export interface QueueBacklog {
  /** Jobs not finished yet: waiting, active, delayed, prioritized, waiting-children. */
  pending: number;
  failed: number;
  completed: number;
}

export interface ServiceStack {
  standIn: LocalSlack;
  tracker: SlackCallTracker;
  redis: Redis;
  redisPid: number | undefined;
  serves: PortbotProcess[];
  worker: PortbotProcess;
  /** Another `serve` on the same Redis and settings (for the two-process storm). */
  addServe(): Promise<PortbotProcess>;
  backlog(): Promise<QueueBacklog>;
  stop(): Promise<void>;
}

/** Stand-in (in this process), a flushed Redis db, one compiled `serve` and one `worker`. */
export async function startServiceStack(
  inventoryPath: string,
  /** Gets `stop` before any process starts, so a signal during start-up still cleans up. */
  register: (stop: () => Promise<void>) => void = () => undefined,
): Promise<ServiceStack> {
  const redis = await connectTestRedis(BENCH_REDIS_DB);
  const procs: PortbotProcess[] = [];
  const queues: Queue[] = [];
  const tracker = new SlackCallTracker();
  let standIn: LocalSlack | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(procs.map(stopProcess));
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    await standIn?.close();
    await redis.flushdb().catch(() => undefined);
    await redis.quit().catch(() => undefined);
  };
  register(stop);
  try {
    standIn = await startLocalSlack({
      autoCreateChannels: true,
      onCall: (c) => tracker.onCall(c),
    });
    const env = serviceEnv({
      slackApiUrl: standIn.url,
      redisDb: BENCH_REDIS_DB,
      inventory: inventoryPath,
    });
    const connection = { host: TEST_REDIS_HOST, port: TEST_REDIS_PORT, db: BENCH_REDIS_DB };
    for (const name of [DIAGNOSE_QUEUE, FLEET_CHECK_QUEUE, REFRESH_ROOT_QUEUE])
      queues.push(new Queue(name, { connection, prefix: 'portbot' }));
    const launch = async (args: string[]): Promise<PortbotProcess> => {
      const p = await startPortbot(args, env);
      procs.push(p);
      // stop() ran while this one was starting: it did not see it.
      if (stopped) await stopProcess(p);
      return p;
    };
    const [serve, worker] = await Promise.all([launch(['serve']), launch(['worker'])]);
    const serves = [serve];
    return {
      standIn,
      tracker,
      redis,
      redisPid: await redisPid(redis),
      serves,
      worker,
      addServe: async () => {
        const p = await launch(['serve']);
        serves.push(p);
        return p;
      },
      backlog: async () => {
        const all = await Promise.all(
          queues.map((q) =>
            q.getJobCounts(
              'waiting',
              'active',
              'delayed',
              'prioritized',
              'waiting-children',
              'failed',
              'completed',
            ),
          ),
        );
        const sum = (k: string) => all.reduce((s, c) => s + (c[k] ?? 0), 0);
        return {
          pending:
            sum('waiting') +
            sum('active') +
            sum('delayed') +
            sum('prioritized') +
            sum('waiting-children'),
          failed: sum('failed'),
          completed: sum('completed'),
        };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** SIGTERM (the service's clean shutdown), SIGKILL if it is not gone within the grace time. */
async function stopProcess(p: PortbotProcess): Promise<void> {
  const exited = p.stop();
  const late = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), STOP_GRACE_MS).unref()),
  ]);
  if (late) await p.kill();
}

async function redisPid(redis: Redis): Promise<number | undefined> {
  const info = await redis.info('server');
  const m = /process_id:(\d+)/.exec(info);
  return m ? Number(m[1]) : undefined;
}

/** Fails fast (before the lab starts) when the bench's Redis is not there. */
export async function assertRedisReachable(): Promise<void> {
  const redis = await connectTestRedis(BENCH_REDIS_DB).catch((err: unknown) => {
    throw new Error(
      `Redis at ${TEST_REDIS_HOST}:${TEST_REDIS_PORT} (db ${BENCH_REDIS_DB}) is not reachable: ${String(err)}`,
    );
  });
  await redis.quit();
}
