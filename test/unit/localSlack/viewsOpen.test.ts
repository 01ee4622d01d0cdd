import { LocalSlackStore } from '../../../src/localSlack/LocalSlackStore';
import { viewsOpen } from '../../../src/localSlack/viewsOpen';

const ctx = { store: new LocalSlackStore(), origin: 'http://127.0.0.1:1' };
const view = {
  type: 'modal',
  callback_id: 'portbot:remediation:request',
  title: { type: 'plain_text', text: 'Request' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'plan' } }],
};

describe('local Slack views.open', () => {
  it('answers the view with an id, from a JSON string as Web API clients send it', () => {
    const r = viewsOpen({ trigger_id: '1.2.abc', view: JSON.stringify(view) }, ctx);
    expect(r).toMatchObject({ ok: true, view: { callback_id: 'portbot:remediation:request' } });
    expect((r.view as { id: string }).id).toMatch(/^V[0-9A-F]{10}$/);
  });

  it('refuses a call without a trigger id or with a view that is not JSON', () => {
    expect(viewsOpen({ view: JSON.stringify(view) }, ctx)).toEqual({
      ok: false,
      error: 'invalid_arguments',
    });
    expect(viewsOpen({ trigger_id: '1', view: '{nope' }, ctx)).toEqual({
      ok: false,
      error: 'invalid_arguments',
    });
  });

  it('refuses blocks Slack would refuse', () => {
    const tooMany = { ...view, blocks: Array.from({ length: 120 }, () => view.blocks[0]) };
    expect(viewsOpen({ trigger_id: '1', view: JSON.stringify(tooMany) }, ctx)).toEqual({
      ok: false,
      error: 'invalid_blocks',
    });
  });
});
