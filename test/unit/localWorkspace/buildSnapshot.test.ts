import {
  buildSnapshot,
  compareTs,
  PAGE_MESSAGES_PER_CHANNEL,
  type SnapshotSource,
} from '../../../src/localWorkspace/view/buildSnapshot';

const BOT = 'U0PORTBOT';
const source = (over: Partial<SnapshotSource> = {}): SnapshotSource => ({
  team: 'portbot-local',
  botUserId: BOT,
  users: [
    { id: 'U0ALICE', name: 'alice', roles: ['requester'] },
    { id: 'U0BOB', name: 'bob', roles: ['approver'] },
  ],
  channels: [
    { id: 'C0ALERTS', name: 'alerts', kind: 'channel' },
    { id: 'D0ALICE', name: 'portbot', kind: 'dm' },
  ],
  messages: [],
  ephemerals: [],
  modal: null,
  ...over,
});

describe('buildSnapshot', () => {
  it('orders by ts as two integers (a float would round microseconds away)', () => {
    expect(compareTs('1765000000.000010', '1765000000.000009')).toBeGreaterThan(0);
    expect(compareTs('999.5', '1000.1')).toBeLessThan(0);
    const snap = buildSnapshot(
      source({
        messages: [
          { channel: 'C0ALERTS', ts: '1765000000.000010', text: 'second', user: BOT },
          { channel: 'C0ALERTS', ts: '1765000000.000009', text: 'first', user: BOT },
        ],
      }),
      'U0ALICE',
    );
    expect(snap.messages.map((m) => m.text)).toEqual(['first', 'second']);
  });

  it("shows a user only their own ephemerals, among the channel's messages by time", () => {
    const src = source({
      messages: [{ channel: 'C0ALERTS', ts: '10.000001', text: 'root', user: BOT }],
      ephemerals: [
        { channel: 'C0ALERTS', user: 'U0ALICE', message_ts: '11.000001', text: 'for alice' },
        { channel: 'C0ALERTS', user: 'U0BOB', message_ts: '9.000001', text: 'for bob' },
      ],
    });
    const alice = buildSnapshot(src, 'U0ALICE').messages;
    expect(alice.map((m) => [m.text, m.ephemeral])).toEqual([
      ['root', false],
      ['for alice', true],
    ]);
    expect(buildSnapshot(src, 'U0BOB').messages.map((m) => m.text)).toEqual(['for bob', 'root']);
  });

  it('lists only the channels given (another user’s DM is not shown), names mentions, keeps thread facts', () => {
    const snap = buildSnapshot(
      source({
        messages: [
          {
            channel: 'C0ALERTS',
            ts: '10.000001',
            thread_ts: '10.000001',
            reply_count: 2,
            edited: { user: BOT, ts: '12.000001' },
            text: 'Approved by <@U0BOB>',
            user: BOT,
          },
          { channel: 'D0BOB', ts: '11.000001', text: 'not for alice', user: BOT },
        ],
      }),
      'U0ALICE',
    );
    expect(snap.messages).toEqual([
      {
        channel: 'C0ALERTS',
        ts: '10.000001',
        threadTs: '10.000001',
        author: 'portbot',
        text: 'Approved by <@U0BOB>',
        // Without blocks the text is drawn, as mrkdwn.
        blocks: [
          {
            kind: 'section',
            text: [
              { t: 'text', text: 'Approved by ' },
              { t: 'mention', kind: 'user', id: 'U0BOB', label: '@bob' },
            ],
            fields: [],
            accessory: null,
          },
        ],
        edited: true,
        replyCount: 2,
        ephemeral: false,
      },
    ]);
  });

  it(`keeps the last ${PAGE_MESSAGES_PER_CHANNEL} messages of each channel`, () => {
    const messages = Array.from({ length: PAGE_MESSAGES_PER_CHANNEL + 5 }, (_, i) => ({
      channel: 'C0ALERTS',
      ts: `${1000 + i}.000001`,
      text: `m${i}`,
      user: BOT,
    }));
    const shown = buildSnapshot(source({ messages }), 'U0ALICE').messages;
    expect(shown).toHaveLength(PAGE_MESSAGES_PER_CHANNEL);
    expect(shown[0]?.text).toBe('m5');
  });

  it("passes the user's open modal with its errors", () => {
    const snap = buildSnapshot(
      source({
        modal: {
          viewId: 'V1',
          view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] },
          errors: { reason: 'say why' },
        },
      }),
      'U0ALICE',
    );
    expect(snap.modal).toEqual({
      viewId: 'V1',
      title: 'T',
      submit: null,
      close: 'Cancel',
      blocks: [],
      errors: { reason: 'say why' },
    });
  });
});
