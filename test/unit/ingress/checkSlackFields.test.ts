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
    const click = { type: 'block_actions', user: { id: 'U0ALICE' }, team: { id: 'T0A' } };
    expect(checkSlackFields(FORM, payload(click))).toMatchObject({ ok: true, teamId: 'T0A' });
    const noTeam = { type: 'block_actions', user: { id: 'U0ALICE', team_id: 'T0B' }, team: null };
    expect(checkSlackFields(FORM, payload(noTeam))).toMatchObject({ ok: true, teamId: 'T0B' });
    const noUser = checkSlackFields(FORM, payload({ type: 'block_actions', team: { id: 'T0A' } }));
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

  it('reads JSON bodies as Events API envelopes; url_verification is the handshake', () => {
    const hs = checkSlackFields('application/json', '{"type":"url_verification","challenge":"c"}');
    expect(hs).toMatchObject({ ok: true, handshake: true, teamId: null });
    const ev = '{"type":"event_callback","team_id":"T0A","enterprise_id":"E0B"}';
    expect(checkSlackFields('application/json', ev)).toMatchObject({
      ok: true,
      kind: 'event',
      handshake: false,
      teamId: 'T0A',
      enterpriseId: 'E0B',
    });
    expect(checkSlackFields('application/json', '"a string"')).toMatchObject({ ok: false });
    expect(checkSlackFields(undefined, 'user_id=U1')).toEqual({
      ok: false,
      error: 'body is not JSON',
    });
  });
});
