import { PortbotError } from '../../../src/domain/PortbotError';
import { isRetryLater } from '../../../src/domain/RetryLater';
import { POST_LEASE_MS, postOnce } from '../../../src/worker/postOnce';
import { MemoryPostSlot } from '../../support/fakes/MemoryPostSlot';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';

const msg = {
  channel: 'C1',
  text: 'diagnosing…',
  marker: { eventType: 'portbot_incident', payload: { incident_id: 'INC-1' } },
};

function setup() {
  const slack = new RecordingSlack();
  return { slack, deps: { slack, history: slack, log: silentLog } };
}

describe('postOnce', () => {
  it('a claim taken over while this job was paused before sending: sends nothing', async () => {
    const { slack, deps } = setup();
    let now = 1000;
    const slot = new MemoryPostSlot(undefined, () => now);
    slack.beforePost = async () => {
      slack.beforePost = null;
      now += POST_LEASE_MS + 1; // paused past the lease; another job claims the slot
      expect((await slot.claim('rescuer', POST_LEASE_MS)).state).toBe('recovering');
    };
    const err = await postOnce(deps, slot, msg, 0).catch((e: unknown) => e);
    expect(isRetryLater(err)).toBe(true);
    expect(slack.posts).toHaveLength(0);
    expect(slack.deletes).toHaveLength(0);
  });

  it('a message recorded by another job while this one was paused: adopts it, sends nothing', async () => {
    const { slack, deps } = setup();
    let now = 1000;
    const slot = new MemoryPostSlot(undefined, () => now);
    slack.beforePost = async () => {
      slack.beforePost = null;
      now += POST_LEASE_MS + 1;
      await slot.claim('rescuer', POST_LEASE_MS);
      await slot.record('C1', '1700000000.999999');
    };
    expect(await postOnce(deps, slot, msg, 0)).toEqual({
      channel: 'C1',
      ts: '1700000000.999999',
      postedNow: false,
    });
    expect(slack.posts).toHaveLength(0);
  });

  it('a lapsed lease nobody took over: renewed at the last moment, posts once', async () => {
    const { slack, deps } = setup();
    let now = 1000;
    const slot = new MemoryPostSlot(undefined, () => now);
    slack.beforePost = () => {
      slack.beforePost = null;
      now += POST_LEASE_MS + 1;
      return Promise.resolve();
    };
    expect((await postOnce(deps, slot, msg, 0)).postedNow).toBe(true);
    expect(slack.posts).toHaveLength(1);
  });

  it('posts with the marker once; a later job gets the recorded message', async () => {
    const { slack, deps } = setup();
    const slot = new MemoryPostSlot();
    const first = await postOnce(deps, slot, msg, 0);
    const again = await postOnce(deps, slot, msg, 0);
    expect(first.postedNow).toBe(true);
    expect(again).toEqual({ ...first, postedNow: false });
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]?.marker).toEqual(msg.marker);
  });

  it('a live claim by another job: waits (RetryLater), never posts', async () => {
    const { slack, deps } = setup();
    const slot = new MemoryPostSlot();
    await slot.claim('other-job', 45_000);
    const err = await postOnce(deps, slot, msg, 0).catch((e: unknown) => e);
    expect(isRetryLater(err)).toBe(true);
    expect(slack.posts).toHaveLength(0);
  });

  it('a dead claim whose post landed: adopts the message found by its marker', async () => {
    const { slack, deps } = setup();
    let now = 1000;
    const slot = new MemoryPostSlot(undefined, () => now);
    await slot.claim('crashed-job', 45_000);
    const orphan = await slack.post({ ...msg }); // the crashed job's post, never recorded
    now += 46_000;
    expect(await postOnce(deps, slot, msg, 0)).toEqual({ ...orphan, postedNow: false });
    expect(slack.posts).toHaveLength(1);
  });

  it('a dead claim that posted nothing: searches, then posts', async () => {
    const { slack, deps } = setup();
    let now = 1000;
    const slot = new MemoryPostSlot(undefined, () => now);
    await slot.claim('crashed-job', 45_000);
    now += 46_000;
    await postOnce(deps, slot, msg, 0);
    expect(slack.posts).toHaveLength(1);
  });

  it('Slack refused the post: the slot is free again, the next job posts without searching', async () => {
    const { slack, deps } = setup();
    const slot = new MemoryPostSlot();
    slack.post = () => Promise.reject(new PortbotError('SLACK_API', 'Slack answered fatal_error'));
    const refusing = deps;
    await expect(postOnce(refusing, slot, msg, 0)).rejects.toThrow('fatal_error');
    expect(await slot.claim('next', 1000)).toEqual({ state: 'claimed' });
  });

  it('a post that may have landed (timeout): the claim stays until its lease ends, then the next job searches first', async () => {
    const { slack, deps } = setup();
    let now = 1_000_000;
    const slot = new MemoryPostSlot(undefined, () => now);
    slack.post = () => Promise.reject(new Error('ETIMEDOUT'));
    const timingOut = deps;
    await expect(postOnce(timingOut, slot, msg, 0)).rejects.toThrow('ETIMEDOUT');
    expect(await slot.claim('next', 1000)).toEqual({ state: 'busy', retryInMs: POST_LEASE_MS });
    now += POST_LEASE_MS;
    expect(await slot.claim('next', 1000)).toEqual({ state: 'recovering' });
  });

  it('a post that lands after another job recorded its own: ours is deleted, the recorded one kept', async () => {
    const { slack, deps } = setup();
    const slot = new MemoryPostSlot();
    const post = slack.post.bind(slack);
    // While our request is in flight, our lease runs out and another job posts and records.
    slack.post = async (m) => {
      const other = await post(m);
      await slot.record(other.channel, other.ts);
      return post(m);
    };
    const kept = await postOnce(deps, slot, msg, 0);
    expect(kept.ts).toBe(slack.tsOfPost[0]);
    expect(kept.postedNow).toBe(false); // what is kept is the other job's message
    expect(slack.deletes).toEqual([{ channel: 'C1', ts: slack.tsOfPost[1] }]);
  });
});
