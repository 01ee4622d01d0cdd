import { PortbotError } from '../../../src/domain/PortbotError';
import { processHeldSummaryJob } from '../../../src/worker/processHeldSummaryJob';
import { MemoryHeldSummaryStore } from '../../support/fakes/MemoryHeldSummaryStore';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';

const MINUTE = 29_491_274; // 2026-01-26 10:14 UTC
const at = MINUTE * 60_000 + 5_000;

function setup() {
  const clock = { now: 1_000_000 };
  const store = new MemoryHeldSummaryStore(() => clock.now);
  const slack = new RecordingSlack();
  const deps = { store, slack, history: slack, log: silentLog };
  const hold = (...ports: number[]) =>
    store.recordHeld({
      source: 'alertmanager',
      channel: 'C1',
      perMinute: 3,
      atMs: at,
      targets: ports.map((port) => ({ host: 'lb-01', port })),
    });
  return { store, slack, deps, hold, clock };
}

const blocksOf = (m: { blocks?: unknown } | undefined) => JSON.stringify(m?.blocks ?? []);

describe('processHeldSummaryJob', () => {
  it('posts one summary with its marker, then updates it only when more were held', async () => {
    const { slack, deps, hold } = setup();
    const key = await hold(8004, 8005, 8006);
    expect(await processHeldSummaryJob(deps, key)).toBe('posted');
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]?.marker).toEqual({
      eventType: 'portbot_held_summary',
      payload: { source: 'alertmanager', minute: String(MINUTE) },
    });
    expect(slack.posts[0]?.text).toContain('3 alerts from alertmanager held back');
    expect(blocksOf(slack.posts[0])).toContain('`lb-01:8006`');

    // A job that finds nothing new (coalesced away) touches nothing.
    expect(await processHeldSummaryJob(deps, key)).toBe('current');
    expect(slack.updates).toHaveLength(0);

    await hold(8005, 8007); // a second payload in the same minute: one repeat target, one new
    expect(await processHeldSummaryJob(deps, key)).toBe('updated');
    expect(slack.posts).toHaveLength(1);
    expect(slack.updates).toHaveLength(1);
    expect(slack.updates[0]?.ts).toBe(slack.tsOfPost[0]);
    expect(slack.updates[0]?.text).toContain('5 alerts');
    expect(blocksOf(slack.updates[0])).toContain('`lb-01:8007`');
    expect(await processHeldSummaryJob(deps, key)).toBe('current');
  });

  it('another minute or source is another message', async () => {
    const { slack, deps, store } = setup();
    const keys = await Promise.all([
      store.recordHeld({
        source: 'alertmanager',
        channel: 'C1',
        perMinute: 3,
        atMs: at,
        targets: [{ host: 'lb-01', port: 1 }],
      }),
      store.recordHeld({
        source: 'alertmanager',
        channel: 'C1',
        perMinute: 3,
        atMs: at + 60_000,
        targets: [{ host: 'lb-01', port: 1 }],
      }),
      store.recordHeld({
        source: 'generic',
        channel: 'C1',
        perMinute: 3,
        atMs: at,
        targets: [{ host: 'lb-01', port: 1 }],
      }),
    ]);
    for (const key of keys) expect(await processHeldSummaryJob(deps, key)).toBe('posted');
    expect(slack.posts).toHaveLength(3);
  });

  it('a message posted by a job that died before recording it is adopted and brought up to date', async () => {
    const { slack, deps, hold, store, clock } = setup();
    const key = await hold(8004);
    // The dead job's post: it rendered 1 alert, then the worker was killed.
    const slot = store.summarySlot(key);
    await slot.claim('dead-job', 30_000);
    await slack.post({
      channel: 'C1',
      text: 'old',
      marker: {
        eventType: 'portbot_held_summary',
        payload: { source: 'alertmanager', minute: String(MINUTE) },
      },
    });
    await hold(8005);
    clock.now += 30_001; // the dead claim's lease ends
    expect(await processHeldSummaryJob(deps, key)).toBe('updated');
    expect(slack.posts).toHaveLength(1);
    expect(slack.updates[0]?.ts).toBe(slack.tsOfPost[0]);
    expect(slack.updates[0]?.text).toContain('2 alerts');
  });

  it('an expired summary stops the job (INTERNAL, not retried)', async () => {
    const { deps } = setup();
    const err = await processHeldSummaryJob(deps, { source: 'generic', minute: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortbotError);
    expect((err as PortbotError).code).toBe('INTERNAL');
  });
});
