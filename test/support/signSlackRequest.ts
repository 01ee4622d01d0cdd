import { signV0 } from '../../src/ingress/signing/v0Signature';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/**
 * Signs a request body the way Slack does (v0): HMAC-SHA256 of `v0:<timestamp>:<raw body>` with
 * the app's signing secret, hex-encoded and prefixed "v0=". `rawBody` must be the exact bytes sent.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const ts = String(timestampSec);
  return { 'x-slack-signature': signV0(secret, ts, rawBody), 'x-slack-request-timestamp': ts };
}

export interface SlashCommandFields {
  command: string;
  text: string;
  user_id: string;
  user_name: string;
  channel_id: string;
  channel_name: string;
  team_id: string;
  team_domain: string;
  response_url: string;
  trigger_id: string;
  api_app_id: string;
  token: string;
}

/**
 * The form-encoded body Slack POSTs for a slash command, with plausible defaults for every field
 * Slack sends; override what the test cares about.
 */
export function slashCommandBody(fields: Partial<SlashCommandFields> & { text: string }): string {
  const all: SlashCommandFields = {
    token: 'deprecated-verification-token',
    team_id: 'T0PORTBOT',
    team_domain: 'portbot-local',
    channel_id: 'C0ALERTS',
    channel_name: 'alerts',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/port',
    api_app_id: 'A0PORTBOT',
    // Never the real hooks.slack.com: pass `standIn.responseUrl()` to capture respond() calls.
    response_url: 'http://127.0.0.1:9/response-url-not-set',
    trigger_id: `${Date.now()}.1.stand-in`,
    ...fields,
  };
  return new URLSearchParams(Object.entries(all)).toString();
}
