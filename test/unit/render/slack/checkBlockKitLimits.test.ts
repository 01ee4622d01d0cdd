import type { KnownBlock } from '@slack/types';
import { checkBlockKitLimits, renderDiagnosisMessage } from '../../../../src/render/slack';
import { loadDiagnosis } from './diagnosisFixtures';

const section = (text: string): unknown => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (extra: Record<string, unknown>): unknown => ({
  type: 'button',
  text: { type: 'plain_text', text: 'ok' },
  action_id: 'a',
  ...extra,
});
const errorsOf = (blocks: unknown, text?: string): string[] =>
  checkBlockKitLimits(blocks, text).map((v) => `${v.slackError} ${v.path}`);

describe('checkBlockKitLimits', () => {
  it('accepts blocks at every limit exactly', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
      section('s'.repeat(3000)),
      {
        type: 'actions',
        elements: [
          button({
            text: { type: 'plain_text', text: 'b'.repeat(75) },
            action_id: 'i'.repeat(255),
            value: 'v'.repeat(2000),
          }),
        ],
      },
      ...Array.from({ length: 47 }, () => ({ type: 'divider' })),
    ];
    expect(errorsOf(blocks, 't'.repeat(40_000))).toEqual([]);
  });

  it('names each limit one character over', () => {
    expect(errorsOf(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual([
      'invalid_blocks blocks',
    ]);
    expect(
      errorsOf([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }]),
    ).toEqual(['invalid_blocks blocks[0].text.text']);
    expect(errorsOf([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }])).toEqual([
      'invalid_blocks blocks[0].text.type',
    ]);
    expect(errorsOf([section('s'.repeat(3001))])).toEqual(['invalid_blocks blocks[0].text.text']);
    expect(errorsOf([section('')])).toEqual(['invalid_blocks blocks[0].text.text']);
    expect(errorsOf([{ type: 'section' }])).toEqual(['invalid_blocks blocks[0]']);
    const fields = Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' }));
    expect(errorsOf([{ type: 'section', fields }])).toEqual(['invalid_blocks blocks[0].fields']);
    expect(
      errorsOf([{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }]),
    ).toEqual(['invalid_blocks blocks[0].fields[0].text']);
    const ctx = Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' }));
    expect(errorsOf([{ type: 'context', elements: ctx }])).toEqual([
      'invalid_blocks blocks[0].elements',
    ]);
    const act = (b: unknown): string[] => errorsOf([{ type: 'actions', elements: [b] }]);
    expect(act(button({ text: { type: 'plain_text', text: 'b'.repeat(76) } }))).toEqual([
      'invalid_blocks blocks[0].elements[0].text.text',
    ]);
    expect(act(button({ action_id: 'i'.repeat(256) }))).toEqual([
      'invalid_blocks blocks[0].elements[0].action_id',
    ]);
    expect(act(button({ value: 'v'.repeat(2001) }))).toEqual([
      'invalid_blocks blocks[0].elements[0].value',
    ]);
    expect(act(button({ style: 'green' }))).toEqual(['invalid_blocks blocks[0].elements[0].style']);
    const confirm = {
      title: { type: 'plain_text', text: 't'.repeat(101) },
      text: { type: 'plain_text', text: 'x' },
      confirm: { type: 'plain_text', text: 'y' },
      deny: { type: 'plain_text', text: 'n'.repeat(31) },
    };
    expect(act(button({ confirm }))).toEqual([
      'invalid_blocks blocks[0].elements[0].confirm.title.text',
      'invalid_blocks blocks[0].elements[0].confirm.deny.text',
    ]);
    const dup = [button({}), button({})];
    expect(errorsOf([{ type: 'actions', elements: dup }])).toEqual([
      'invalid_blocks blocks[0].elements[1].action_id',
    ]);
    expect(errorsOf([{ type: 'divider', block_id: 'b'.repeat(256) }])).toEqual([
      'invalid_blocks blocks[0].block_id',
    ]);
    expect(errorsOf([], 't'.repeat(40_001))).toEqual(['msg_too_long text']);
    expect(errorsOf('nope')).toEqual(['invalid_blocks_format blocks']);
  });

  it('catches the cumulative block text that Slack answers with msg_blocks_too_long', () => {
    const blocks = Array.from({ length: 5 }, () => section('s'.repeat(2500)));
    expect(errorsOf(blocks)).toEqual(['msg_blocks_too_long blocks']);
  });

  it('renders blocks that @slack/types accepts as KnownBlock[] (checked by tsc)', () => {
    const m = renderDiagnosisMessage(loadDiagnosis('foreign-listener'), { incidentId: 'i' });
    const known: KnownBlock[] = m.blocks;
    expect(known.length).toBe(m.blocks.length);
  });
});
