import { checkMessageContent } from '../../../src/localSlack/checkMessageContent';
import { SLACK_LIMITS } from '../../../src/render/slack/slackLimits';

const section = (text: string): unknown => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string): unknown => ({ type: 'header', text: { type: 'plain_text', text } });
const button = (over: Record<string, unknown>): unknown => ({
  type: 'actions',
  elements: [
    { type: 'button', text: { type: 'plain_text', text: 'Go' }, action_id: 'go', ...over },
  ],
});

/** Blocks as the WebClient sends them: a JSON string in a form field. */
function check(blocks: unknown[], text = 'fallback') {
  return checkMessageContent({ text, blocks: JSON.stringify(blocks) });
}

function problemsOf(r: ReturnType<typeof checkMessageContent>): string[] {
  if (r.ok) throw new Error('expected a rejection');
  return r.err.problems ?? [];
}

describe('checkMessageContent', () => {
  it('accepts every limit exactly at its maximum', () => {
    const r = check([
      section('s'.repeat(SLACK_LIMITS.sectionTextChars)),
      header('h'.repeat(SLACK_LIMITS.headerTextChars)),
      button({
        text: { type: 'plain_text', text: 'b'.repeat(SLACK_LIMITS.buttonTextChars) },
        action_id: 'a'.repeat(SLACK_LIMITS.actionIdChars),
        value: 'v'.repeat(SLACK_LIMITS.buttonValueChars),
      }),
      ...Array.from({ length: SLACK_LIMITS.blocksPerMessage - 3 }, () => ({ type: 'divider' })),
    ]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.content.blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
  });

  it.each([
    [
      'section text',
      [section('s'.repeat(3001))],
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'header text',
      [header('h'.repeat(151))],
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'action_id',
      [button({ action_id: 'a'.repeat(256) })],
      'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ],
    [
      'button value',
      [button({ value: 'v'.repeat(2001) })],
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'button text',
      [button({ text: { type: 'plain_text', text: 'b'.repeat(76) } })],
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ],
    [
      'block count',
      Array.from({ length: 51 }, () => ({ type: 'divider' })),
      'no more than 50 items allowed [json-pointer:/blocks]',
    ],
    [
      'header in mrkdwn',
      [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }],
      'must be one of plain_text [json-pointer:/blocks/0/text/type]',
    ],
    [
      'unknown block type',
      [{ type: 'secton' }],
      'unsupported type: secton [json-pointer:/blocks/0/type]',
    ],
    [
      'empty section text',
      [section('')],
      'must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    ],
  ])('rejects %s with invalid_blocks and a json-pointer', (_name, blocks, problem) => {
    const r = check(blocks);
    expect(r).toMatchObject({ ok: false, err: { error: 'invalid_blocks' } });
    expect(problemsOf(r)).toContain(problem);
  });

  it('counts characters, not UTF-16 units: 3000 emoji fit a section', () => {
    expect(check([section('🔥'.repeat(3000))]).ok).toBe(true);
    expect(check([section('🔥'.repeat(3001))]).ok).toBe(false);
  });

  it('rejects text over 40,000 characters with msg_too_long, accepts exactly 40,000', () => {
    expect(checkMessageContent({ text: 'x'.repeat(40_000) }).ok).toBe(true);
    expect(checkMessageContent({ text: 'x'.repeat(40_001) })).toEqual({
      ok: false,
      err: { error: 'msg_too_long' },
    });
  });

  it('answers invalid_blocks_format for blocks that are not a JSON array', () => {
    for (const blocks of ['[{"type":', '{"type":"divider"}', '"divider"']) {
      expect(checkMessageContent({ text: 't', blocks })).toEqual({
        ok: false,
        err: { error: 'invalid_blocks_format' },
      });
    }
  });

  it('accepts blocks given as an array (JSON bodies) and without text', () => {
    const r = checkMessageContent({ blocks: [section('only blocks')] });
    expect(r).toEqual({ ok: true, content: { blocks: [section('only blocks')] } });
  });

  it('answers no_text when there is no text, blocks or attachments', () => {
    expect(checkMessageContent({})).toEqual({ ok: false, err: { error: 'no_text' } });
    expect(checkMessageContent({ text: '', blocks: '[]' })).toEqual({
      ok: false,
      err: { error: 'no_text' },
    });
  });

  it('answers too_many_attachments above 100', () => {
    const attachments = JSON.stringify(Array.from({ length: 101 }, () => ({ text: 'a' })));
    expect(checkMessageContent({ text: 't', attachments })).toEqual({
      ok: false,
      err: { error: 'too_many_attachments' },
    });
  });
});
