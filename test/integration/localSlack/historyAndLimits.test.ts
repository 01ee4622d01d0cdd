import { WebClient } from '@slack/web-api';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { startLocalSlack, type LocalSlack } from '../../../src/localSlack/startLocalSlack';
import { WebClientPoster } from '../../../src/slack/WebClientPoster';
import { isRetryLater } from '../../../src/domain/RetryLater';

const C = 'C0HIST';
let standIn: LocalSlack;
let client: WebClient;
let poster: WebClientPoster;

beforeEach(async () => {
  standIn = await startLocalSlack({ channels: [{ id: C, name: 'hist' }] });
  client = new WebClient(LOCAL_SLACK_TOKEN, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  poster = new WebClientPoster(client);
});

afterEach(async () => {
  await standIn.close();
});

const marker = (id: string) => ({ eventType: 'portbot_incident', payload: { incident_id: id } });

describe('conversations.history / replies with metadata', () => {
  it('finds a marked root and a marked reply, pages with cursors, hides metadata unless asked', async () => {
    const root = await poster.post({ channel: C, text: 'root', marker: marker('INC-7') });
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 1100)); // stay inside the 1/s posting tier
      await poster.post({ channel: C, text: `other ${i}`, marker: marker(`INC-${i}`) });
    }
    const reply = await poster.post({
      channel: C,
      text: 'evidence',
      threadTs: root.ts,
      marker: { eventType: 'portbot_reply', payload: { incident_id: 'INC-7', reply_id: 'e:1' } },
    });
    const page1 = await client.conversations.history({ channel: C, limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['other 3', 'other 2']);
    expect(page1.messages?.[0]?.metadata).toBeUndefined();
    expect(page1.has_more).toBe(true);
    const page2 = await client.conversations.history({
      channel: C,
      limit: 2,
      include_all_metadata: true,
      cursor: page1.response_metadata?.next_cursor ?? '',
    });
    expect(page2.messages?.map((m) => m.text)).toEqual(['other 1', 'other 0']);
    expect(page2.messages?.[0]?.metadata).toEqual({
      event_type: 'portbot_incident',
      event_payload: { incident_id: 'INC-1' },
    });

    const since = Number(root.ts) * 1000 - 60_000;
    expect(await poster.findMarked({ channel: C, oldestMs: since, marker: marker('INC-7') })).toBe(
      root.ts,
    );
    expect(await poster.findMarked({ channel: C, oldestMs: since, marker: marker('INC-9') })).toBe(
      null,
    );
    // `oldest` bounds the search: a window starting after the root does not see it.
    expect(
      await poster.findMarked({
        channel: C,
        oldestMs: Number(root.ts) * 1000 + 1,
        marker: marker('INC-7'),
      }),
    ).toBe(null);
    expect(
      await poster.findMarked({
        channel: C,
        threadTs: root.ts,
        oldestMs: since,
        marker: { eventType: 'portbot_reply', payload: { incident_id: 'INC-7', reply_id: 'e:1' } },
      }),
    ).toBe(reply.ts);
  }, 20_000);
});

describe("Slack's rate tiers", () => {
  it('chat.postMessage: a short burst per channel, then 429 with Retry-After; another channel is unaffected', async () => {
    standIn.addChannel({ id: 'C0OTHER', name: 'other' });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => poster.post({ channel: C, text: `m${i}` })),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(isRetryLater(r.reason)).toBe(true);
      expect((r.reason as { retryInMs: number }).retryInMs).toBeGreaterThanOrEqual(1000);
    }
    const limited = standIn.calls('chat.postMessage').filter((c) => c.status === 429);
    expect(limited).toHaveLength(3);
    await expect(poster.post({ channel: 'C0OTHER', text: 'fine' })).resolves.toMatchObject({
      channel: 'C0OTHER',
    });
    await new Promise((r) => setTimeout(r, 1100));
    await expect(poster.post({ channel: C, text: 'after a second' })).resolves.toBeDefined();
  });

  it('chat.update: Tier 3 per workspace, whatever the channel', async () => {
    const m = await poster.post({ channel: C, text: 'to update' });
    const results = await Promise.allSettled(
      Array.from({ length: 14 }, (_, i) => poster.update({ channel: C, ts: m.ts, text: `v${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(standIn.calls('chat.update').filter((c) => c.status === 429)).toHaveLength(4);
  });
});
