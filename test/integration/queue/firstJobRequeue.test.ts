import { QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import { BullJobQueue } from '../../../src/queue/BullJobQueue';
import { DIAGNOSE_QUEUE } from '../../../src/queue/jobTypes';
import { TEST_REDIS_HOST, TEST_REDIS_PORT, connectTestRedis } from '../../support/testRedis';

const DB = 15;
const connection = { host: TEST_REDIS_HOST, port: TEST_REDIS_PORT, db: DB };

/**
 * Issue 10 item 3: a first diagnosis job that reached the failed set (a Slack outage never gets
 * it there: it retries until the incident expires; a permanent error or a job stalled too often
 * does) is put back by the next alert's enqueue instead of being swallowed by its fixed id.
 * Bounded: every wait has a deadline (the dropped test waited for a failure that never came).
 */
it('a repeat alert re-queues a failed first job, which then runs exactly once more', async () => {
  const redis = await connectTestRedis(DB);
  const queue = new BullJobQueue(connection, 'requeue-test');
  const events = new QueueEvents(DIAGNOSE_QUEUE, { connection, prefix: 'requeue-test' });
  await events.waitUntilReady();
  const runs: string[] = [];
  let slackUp = false;
  const worker = new Worker(
    DIAGNOSE_QUEUE,
    (job: Job) => {
      runs.push(String(job.id));
      if (!slackUp) throw new UnrecoverableError('channel_not_found');
      return Promise.resolve('posted');
    },
    { connection, prefix: 'requeue-test' },
  );
  const waitFor = (ev: 'failed' | 'completed') =>
    new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${ev} within 10 s`)), 10_000);
      events.once(ev, ({ jobId }: { jobId: string }) => {
        clearTimeout(t);
        resolve(jobId);
      });
    });
  try {
    const failed = waitFor('failed');
    await queue.enqueueDiagnose('INC-1', { first: true });
    expect(await failed).toBe('first-INC-1');
    slackUp = true;
    const completed = waitFor('completed');
    await queue.enqueueDiagnose('INC-1', { first: true }); // the repeat alert
    expect(await completed).toBe('first-INC-1');
    await queue.enqueueDiagnose('INC-1', { first: true }); // a later repeat: nothing more
    await new Promise((r) => setTimeout(r, 500));
    expect(runs).toEqual(['first-INC-1', 'first-INC-1']);
  } finally {
    await worker.close();
    await events.close();
    await queue.close();
    await redis.quit();
  }
}, 30_000);
