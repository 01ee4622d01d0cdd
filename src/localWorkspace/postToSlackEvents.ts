import { signV0 } from '../ingress/signing/v0Signature';
import { SLACK_EVENTS_PATH } from '../http/slackEventsPath';

export interface SlackAnswer {
  status: number;
  body: string;
}

/**
 * A form body POSTed to serve's own /slack/events, signed with this run's signing secret the way
 * Slack signs it: the page reaches Bolt through the same guard and handlers Slack does.
 */
export async function postToSlackEvents(
  port: number,
  signingSecret: string,
  form: string,
  nowMs: number,
): Promise<SlackAnswer> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const res = await fetch(`http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signV0(signingSecret, timestamp, form),
    },
    body: form,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
}
