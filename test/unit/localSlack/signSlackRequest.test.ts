import { isValidSlackRequest } from '@slack/bolt';
import { signSlackRequest, slashCommandBody } from '../../support/signSlackRequest';

describe('signSlackRequest', () => {
  it('reproduces the worked example from Slack\'s "Verifying requests" page', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
    });
  });

  it("is accepted by Bolt's own verifier, and a changed body or secret is not", () => {
    const body = slashCommandBody({ text: 'check lb-01 80' });
    const signed = signSlackRequest('s3cret', body);
    // Bolt's verifier takes the timestamp already parsed, as its receivers pass it.
    const headers = {
      'x-slack-signature': signed['x-slack-signature'],
      'x-slack-request-timestamp': Number(signed['x-slack-request-timestamp']),
    };
    const verify = (secret: string, rawBody: string): boolean =>
      isValidSlackRequest({ signingSecret: secret, body: rawBody, headers });
    expect(verify('s3cret', body)).toBe(true);
    expect(verify('s3cret', body.replace('lb-01', 'lb-02'))).toBe(false);
    expect(verify('other', body)).toBe(false);
  });

  it('defaults the timestamp to now, in seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const ts = Number(signSlackRequest('s', 'b')['x-slack-request-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(before + 1);
  });
});

describe('slashCommandBody', () => {
  it('form-encodes every field Slack sends, with overrides', () => {
    const form = new URLSearchParams(
      slashCommandBody({ text: 'check “lb-01” 80', user_id: 'U0BOB', channel_id: 'C0OPS' }),
    );
    expect(form.get('command')).toBe('/port');
    expect(form.get('text')).toBe('check “lb-01” 80');
    expect(form.get('user_id')).toBe('U0BOB');
    expect(form.get('channel_id')).toBe('C0OPS');
    for (const f of [
      'team_id',
      'response_url',
      'trigger_id',
      'user_name',
      'channel_name',
      'api_app_id',
    ]) {
      expect(form.get(f)).toEqual(expect.any(String));
    }
  });
});
