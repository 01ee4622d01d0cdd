import { checkSlackFields } from '../../../src/ingress/slackRequest/checkSlackFields';
import { slashCommandBody } from '../../support/signSlackRequest';

const FORM = 'application/x-www-form-urlencoded';

describe('checkSlackFields', () => {
  it('accepts a slash command and names its workspace', () => {
    expect(checkSlackFields(FORM, slashCommandBody({ text: 'check lb-01 80' }))).toEqual({
      ok: true,
      kind: 'command',
      handshake: false,
      teamId: 'T0PORTBOT',
      enterpriseId: null,
    });
  });

  it('refuses a form field sent twice, whichever field', () => {
    const body = slashCommandBody({ text: 'check lb-01 80' });
    const dupUser = checkSlackFields(FORM, `${body}&user_id=U0BOB`);
    expect(dupUser).toEqual({ ok: false, error: "form field 'user_id' appears more than once" });
    expect(checkSlackFields(FORM, `${body}&text=x`)).toMatchObject({ ok: false });
    expect(checkSlackFields(FORM, `${body}&team_id=T0OTHER`)).toMatchObject({ ok: false });
  });

  it('refuses a slash command without a user, channel or team', () => {
    for (const field of ['user_id', 'channel_id', 'team_id', 'text']) {
      const form = new URLSearchParams(slashCommandBody({ text: 'help' }));
      form.delete(field);
      const r = checkSlackFields(FORM, form.toString());
      expect(r).toMatchObject({ ok: false });
      expect(!r.ok && r.error).toContain(field);
    }
    const empty = new URLSearchParams(slashCommandBody({ text: 'help' }));
    empty.set('user_id', '');
    expect(checkSlackFields(FORM, empty.toString())).toMatchObject({ ok: false });
  });

  it('checks interactive payloads: a user is required, the team comes from team or user', () => {
    const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;
    const clicked = { channel: { id: 'C0A' }, actions: [{ action_id: 'a', value: 'v' }] };
    const click = {
      type: 'block_actions',
      user: { id: 'U0ALICE' },
      team: { id: 'T0A' },
      ...clicked,
    };
    expect(checkSlackFields(FORM, payload(click))).toMatchObject({ ok: true, teamId: 'T0A' });
    const noTeam = { ...click, user: { id: 'U0ALICE', team_id: 'T0B' }, team: null };
    expect(checkSlackFields(FORM, payload(noTeam))).toMatchObject({ ok: true, teamId: 'T0B' });
    const noUser = checkSlackFields(FORM, payload({ ...click, user: undefined }));
    expect(noUser).toMatchObject({ ok: false });
    expect(!noUser.ok && noUser.error).toMatch(
      /^malformed interactive payload: user: .*expected object/,
    );
    expect(checkSlackFields(FORM, 'payload=%7Bnot-json')).toEqual({
      ok: false,
      error: 'payload is not JSON',
    });
    expect(checkSlackFields(FORM, `${payload(click)}&payload=x`)).toMatchObject({ ok: false });
  });

  it('accepts a submitted request modal and refuses one with a mistyped field', () => {
    const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;
    const submitted = {
      type: 'view_submission',
      user: { id: 'U0ALICE', team_id: 'T0A' },
      view: {
        callback_id: 'portbot:remediation:request',
        private_metadata: '{"incidentId":"INC-1","kind":"kill-occupant"}',
        state: { values: { reason: { reason: { type: 'plain_text_input', value: 'rogue' } } } },
      },
    };
    expect(checkSlackFields(FORM, payload(submitted))).toMatchObject({ ok: true, teamId: 'T0A' });
    const twoUsers = { ...submitted, user: { id: ['U0ALICE', 'U0BOB'] } };
    expect(checkSlackFields(FORM, payload(twoUsers))).toMatchObject({ ok: false });
    const objectMetadata = { ...submitted, view: { ...submitted.view, private_metadata: {} } };
    expect(checkSlackFields(FORM, payload(objectMetadata))).toMatchObject({ ok: false });
    const unknownType = { ...submitted, type: 'view_closed' };
    expect(checkSlackFields(FORM, payload(unknownType))).toMatchObject({ ok: false });
  });

  it('refuses a click missing or mistyping anything the button handler reads', () => {
    const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;
    const click = {
      type: 'block_actions',
      user: { id: 'U0ALICE' },
      team: { id: 'T0A' },
      channel: { id: 'C0A' },
      actions: [{ action_id: 'portbot:action:x', value: 'v' }],
    };
    const broken: unknown[] = [
      { ...click, user: { id: 7 } },
      { ...click, user: 'U0ALICE' },
      { ...click, team: { id: ['T0A'] } },
      { ...click, team: undefined },
      { ...click, channel: undefined },
      { ...click, channel: { id: 5 } },
      { ...click, actions: undefined },
      { ...click, actions: [] },
      { ...click, actions: 'portbot:action:x' },
      { ...click, actions: ['portbot:action:x'] },
      { ...click, actions: [{ value: 'v' }] },
      { ...click, actions: [{ action_id: 'x', value: 3 }] },
      { ...click, type: 'view_submission' },
    ];
    for (const p of broken) {
      const r = checkSlackFields(FORM, payload(p));
      expect(r).toMatchObject({ ok: false });
      expect(!r.ok && r.error).toMatch(/^malformed interactive payload: /);
    }
    const noValue = { ...click, actions: [{ action_id: 'portbot:action:x' }] };
    expect(checkSlackFields(FORM, payload(noValue))).toMatchObject({
      ok: true,
      kind: 'interactive',
    });
  });

  it('refuses a form with more fields than Bolt keeps', () => {
    const body = slashCommandBody({ text: 'help' });
    const padded = (n: number) =>
      `${body}&${Array.from({ length: n }, (_, i) => `pad${i}=x`).join('&')}`;
    const fields = new URLSearchParams(body).size;
    expect(checkSlackFields(FORM, padded(1000 - fields))).toMatchObject({ ok: true });
    expect(checkSlackFields(FORM, padded(1001 - fields))).toEqual({
      ok: false,
      error: 'more than 1000 form fields',
    });
  });

  it('reads JSON bodies as Events API envelopes; url_verification is the handshake', () => {
    const hs = checkSlackFields('application/json', '{"type":"url_verification","challenge":"c"}');
    expect(hs).toMatchObject({ ok: true, handshake: true, teamId: null });
    const ev =
      '{"type":"event_callback","team_id":"T0A","enterprise_id":"E0B","event":{"type":"app_mention"}}';
    expect(checkSlackFields('application/json', ev)).toMatchObject({
      ok: true,
      kind: 'event',
      handshake: false,
      teamId: 'T0A',
      enterpriseId: 'E0B',
    });
    expect(checkSlackFields('application/json', '"a string"')).toMatchObject({ ok: false });
    // JSON dressed as a command or a click would reach Bolt's command and action handlers
    const disguised = [
      { type: 'event_callback', team_id: 'T0A', event: { type: 'x' }, command: '/port' },
      { type: 'event_callback', team_id: 'T0A', event: { type: 'x' }, payload: '{}' },
      { type: 'event_callback', team_id: 'T0A', event: { type: 'x' }, actions: [] },
      { type: 'url_verification', challenge: 'c', command: '/port' },
      { type: 'block_actions', team_id: 'T0A', actions: [{ action_id: 'a' }] },
      { command: '/port', text: 'check lb-01 80', user_id: 'U0A', team_id: 'T0A' },
      { type: 'event_callback', event: { type: 'x' } },
    ];
    for (const d of disguised) {
      expect(checkSlackFields('application/json', JSON.stringify(d))).toMatchObject({ ok: false });
    }
    expect(checkSlackFields(undefined, 'user_id=U1')).toEqual({
      ok: false,
      error: 'body is not JSON',
    });
  });
});
