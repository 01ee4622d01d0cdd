import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { BullJobQueue } from '../../../src/queue/BullJobQueue';
import {
  FLEET_CHECK_QUEUE,
  type FleetChunkJobData,
  type FleetSummaryJobData,
} from '../../../src/queue/jobTypes';
import type { FleetChunkOutcomes } from '../../../src/worker/processFleetCheckJob';
import { readFleetChunkResults } from '../../../src/worker/readFleetChunkResults';
import { diagnosisFixture } from '../../support/diagnosisFixture';
import { silentLog } from '../../support/fakes/silentLog';
import { TEST_REDIS_HOST, TEST_REDIS_PORT, connectTestRedis } from '../../support/testRedis';

const DB = 15;
const PREFIX = 'flow-test';
const connection = { host: TEST_REDIS_HOST, port: TEST_REDIS_PORT, db: DB };

/**
 * The flow as BullJobQueue builds it, on real Redis and BullMQ: the parent runs once every
 * child has ended, also when one failed for good (ignoreDependencyOnFailure), and reads what
 * each child left through readFleetChunkResults: a completed child's diagnoses, a failed
 * child's last error, nothing for a result that does not match FleetChunkResultSchema.
 */
it('the parent runs after the last child and gets results, failures and no unreadable value', async () => {
  const redis = await connectTestRedis(DB);
  const queue = new BullJobQueue(connection, PREFIX);
  const hosts = Array.from({ length: 60 }, (_, i) => `h${i}`);
  const runs: string[] = [];
  let outcomes: FleetChunkOutcomes | null = null;
  const worker = new Worker<FleetChunkJobData | FleetSummaryJobData>(
    FLEET_CHECK_QUEUE,
    async (job: Job<FleetChunkJobData | FleetSummaryJobData>) => {
      runs.push(`${job.name} ${String(job.id)}`);
      const data = job.data;
      if ('chunks' in data) {
        outcomes = await readFleetChunkResults(job, data, silentLog);
        return 'summary';
      }
      if (data.chunk === 1) throw new UnrecoverableError('ssh pool exploded');
      if (data.chunk === 2) return { chunk: 2, diagnoses: [{ host: 'not a diagnosis' }] };
      return {
        chunk: data.chunk,
        diagnoses: data.hosts.map((host) => ({ ...diagnosisFixture('healthy'), host, port: 80 })),
      };
    },
    { connection, prefix: PREFIX, concurrency: 3 },
  );
  try {
    await queue.enqueueFleetCheck('FLEET-7', hosts);
    // Started twice (a retried command): the fixed job ids add nothing.
    await queue.enqueueFleetCheck('FLEET-7', hosts);
    const deadline = Date.now() + 20_000;
    while (outcomes === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const got = outcomes as FleetChunkOutcomes | null;
    expect(got).not.toBeNull();
    expect([...(got?.results.keys() ?? [])]).toEqual([0]);
    expect(got?.results.get(0)?.map((d) => d.host)).toEqual(hosts.slice(0, 20));
    expect([...(got?.failures ?? [])]).toEqual([[1, 'ssh pool exploded']]);
    expect(runs.sort()).toEqual([
      'fleet-chunk fleet-FLEET-7-chunk-0',
      'fleet-chunk fleet-FLEET-7-chunk-1',
      'fleet-chunk fleet-FLEET-7-chunk-2',
      'fleet-summary fleet-FLEET-7',
    ]);
    expect((await queue.counts()).fleet_check).toMatchObject({ failed: 1, 'waiting-children': 0 });
  } finally {
    await worker.close();
    await queue.close();
    await redis.quit();
  }
}, 30_000);
