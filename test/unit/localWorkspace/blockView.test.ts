import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockViews } from '../../../src/localWorkspace/view/blockView';
import { modalView } from '../../../src/localWorkspace/view/buildSnapshot';
import type { BlockView } from '../../../src/localWorkspace/view/WorkspaceView';

const GOLDEN = join(__dirname, '..', '..', 'fixtures', 'blockkit');
const none = () => undefined;

/** Every Block Kit message portbot renders (the renderer's golden files), blocks by file. */
function goldenMessages(): [string, unknown[]][] {
  const out: [string, unknown[]][] = [];
  for (const f of readdirSync(GOLDEN).filter((n) => n.endsWith('.golden.json'))) {
    const json = JSON.parse(readFileSync(join(GOLDEN, f), 'utf8')) as Record<string, unknown>;
    // Per-verdict files hold the root message and the evidence reply.
    const messages = 'blocks' in json ? [json] : Object.values(json);
    messages.forEach((m, i) => out.push([`${f}#${i}`, (m as { blocks: unknown[] }).blocks]));
  }
  return out;
}

describe('blockView', () => {
  it.each(goldenMessages())('draws every block of %s (nothing unsupported)', (_name, blocks) => {
    const views = blockViews(blocks, none);
    expect(views).toHaveLength(blocks.length);
    expect(views.filter((v) => v.kind === 'unsupported')).toEqual([]);
  });

  it('reads a section with fields, a context, a divider, and buttons with a confirm dialog', () => {
    const views = blockViews(
      [
        { type: 'header', text: { type: 'plain_text', text: '🚨 lb-01:80' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Process*\n`python3`' },
            { type: 'plain_text', text: '*not bold*' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '_note_' }] },
        { type: 'divider' },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Stop' },
              action_id: 'portbot:action:kill-occupant',
              value: '{"incidentId":"inc-1"}',
              style: 'danger',
              confirm: {
                title: { type: 'plain_text', text: 'Request approval?' },
                text: { type: 'plain_text', text: 'Nothing runs until approved.' },
                confirm: { type: 'plain_text', text: 'Request approval' },
                deny: { type: 'plain_text', text: 'Cancel' },
                style: 'danger',
              },
            },
          ],
        },
        { type: 'rich_text', elements: [] },
      ],
      none,
    );
    expect(views.map((v) => v.kind)).toEqual([
      'header',
      'section',
      'context',
      'divider',
      'actions',
      'unsupported',
    ]);
    const section = views[1] as Extract<BlockView, { kind: 'section' }>;
    expect(section.fields[1]).toEqual([{ t: 'text', text: '*not bold*' }]);
    const actions = views[4] as Extract<BlockView, { kind: 'actions' }>;
    // Slack gives a block without block_id one of its own; so does the page, by position.
    expect(actions.buttons).toEqual([
      {
        actionId: 'portbot:action:kill-occupant',
        blockId: 'b4',
        value: '{"incidentId":"inc-1"}',
        text: 'Stop',
        style: 'danger',
        confirm: {
          title: 'Request approval?',
          text: [{ t: 'text', text: 'Nothing runs until approved.' }],
          confirm: 'Request approval',
          deny: 'Cancel',
          style: 'danger',
        },
      },
    ]);
  });

  it("reads portbot's request modal: title, buttons and the reason input", () => {
    const view: unknown = JSON.parse(
      readFileSync(join(GOLDEN, 'remediation-modal.golden.json'), 'utf8'),
    );
    const modal = modalView({ viewId: 'V1', view, errors: { reason: 'too short' } }, none);
    expect(modal).toMatchObject({
      viewId: 'V1',
      title: 'Request remediation',
      submit: 'Request approval',
      close: 'Cancel',
      errors: { reason: 'too short' },
    });
    const input = modal.blocks.find((b) => b.kind === 'input');
    expect(input).toEqual({
      kind: 'input',
      input: expect.objectContaining({
        label: 'Reason (kept in the audit log)',
        multiline: false,
        optional: false,
      }) as unknown,
    });
  });

  it('survives blocks that are not objects or lack their fields', () => {
    const views = blockViews(
      [null, 'x', { type: 'section' }, { type: 'actions', elements: [1] }],
      none,
    );
    expect(views).toEqual([
      { kind: 'unsupported', type: 'unknown' },
      { kind: 'unsupported', type: 'unknown' },
      { kind: 'section', text: null, fields: [], accessory: null },
      { kind: 'actions', blockId: 'b3', buttons: [] },
    ]);
  });
});
