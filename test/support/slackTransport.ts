import type { TestSlack } from './localSlack/startTestSlack';
import {
  signSlackRequest,
  slashCommandBody,
  type SlackSignatureHeaders,
  type SlashCommandFields,
} from './signSlackRequest';

/** How long a Socket Mode test waits for an ack past Slack's deadline before calling it missing. */
const LATE_ACK_WAIT_MS = 15_000;

export type SlackMode = 'http' | 'socket';
/** Both ways Slack reaches portbot; flow suites run once per mode (describe.each). */
export const SLACK_MODES: readonly SlackMode[] = ['http', 'socket'];

/**
 * portbot's answer as Slack received it. HTTP: the response status and body. Socket Mode: 200
 * and the ack's payload as JSON ('' for an empty one) once acked; 0 when no ack came at all.
 * An ack past Slack's 3 s deadline still counts here (tests do not time the machine); the
 * stand-in records it as `late`, and suites print the ack times.
 */
export interface SlackAnswer {
  status: number;
  text: string;
}

export type SlashCommand = Partial<SlashCommandFields> & { text: string };

/** How a test sends what Slack sends: a signed HTTP request, or an envelope over Socket Mode. */
export interface SlackTransport {
  readonly mode: SlackMode;
  command(fields: SlashCommand): Promise<SlackAnswer>;
  /** An interactivity payload: block_actions, view_submission. */
  interact(payload: Record<string, unknown>): Promise<SlackAnswer>;
}

export function slackTransport(
  mode: SlackMode,
  o: { standIn: TestSlack; servePort: () => number; signingSecret: string; appToken: string },
): SlackTransport {
  return mode === 'http'
    ? httpTransport(o.servePort, o.signingSecret)
    : socketTransport(o.standIn, o.appToken);
}

/** Signed POSTs to serve's /slack/events, as Slack sends them in HTTP mode. */
export function httpTransport(servePort: () => number, signingSecret: string): SlackTransport {
  return {
    mode: 'http',
    command: (fields) => postSigned(servePort(), slashCommandBody(fields), signingSecret),
    interact: (payload) =>
      postSigned(
        servePort(),
        `payload=${encodeURIComponent(JSON.stringify(payload))}`,
        signingSecret,
      ),
  };
}

/** Envelopes over the app's Socket Mode connection to the stand-in; the ack is the answer. */
export function socketTransport(standIn: TestSlack, appToken: string): SlackTransport {
  const send = async (type: 'slash_commands' | 'interactive', payload: Record<string, unknown>) => {
    const sent = await standIn.socketMode.deliver(appToken, type, payload);
    const d = sent.missing
      ? await standIn.socketMode.acked(sent.envelopeId, LATE_ACK_WAIT_MS)
      : sent;
    if (d?.ackedAfterMs === undefined) return { status: 0, text: '' };
    const ack = d.ackPayload ?? {};
    return { status: 200, text: Object.keys(ack).length > 0 ? JSON.stringify(ack) : '' };
  };
  return {
    mode: 'socket',
    // Socket Mode carries the same fields as the HTTP form, as a JSON object of strings.
    command: (fields) =>
      send('slash_commands', Object.fromEntries(new URLSearchParams(slashCommandBody(fields)))),
    interact: (payload) => send('interactive', payload),
  };
}

/** One signed POST; `headers` replaces the signature (forged, stale or replayed requests). */
export async function postSigned(
  port: number,
  body: string,
  signingSecret: string,
  headers: SlackSignatureHeaders = signSlackRequest(signingSecret, body),
): Promise<SlackAnswer> {
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}
