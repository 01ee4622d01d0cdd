import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Log } from '../domain/Log';
import { readBody, type BodyResult } from '../http/readBody';
import { declaredLength, replyAndClose } from '../http/replyAndClose';
import { sendJson } from '../http/sendJson';
import {
  checkSignedHeaders,
  REPLAY_TTL_MS,
  replayKey,
  verifyV0Signature,
} from '../ingress/signing/v0Signature';
import { checkSlackFields } from '../ingress/slackRequest/checkSlackFields';
import { mayUseWorkspace } from '../policy/mayUseWorkspace';
import { errorMessage } from '../domain/errorMessage';

/**
 * Slack's largest requests are interactive payloads carrying the clicked message; ours stay far
 * below Slack's 50-block limit, so 128 KiB is ample and bounds what an unsigned client can hold.
 */
export const SLACK_BODY_LIMIT_BYTES = 128 * 1024;

export interface SlackGuardDeps {
  signingSecret: string;
  now: () => number;
  /** True the first time a key is claimed within ttlMs (Redis SET NX PX, shared by all serves). */
  claimOnce: (key: string, ttlMs: number) => Promise<boolean>;
  /** Allowed team/enterprise ids; undefined allows any workspace. */
  workspaces: readonly string[] | undefined;
  log: Log;
}

/**
 * Everything /slack/events refuses before Bolt runs: wrong method, unsigned or stale headers
 * (checked before a body byte is read), oversized bodies, bad signatures, malformed or repeated
 * fields, foreign workspaces, replays. Bolt's own verification is off: this is the one copy.
 */
export function guardSlackEvents(bolt: RequestListener, deps: SlackGuardDeps): RequestListener {
  return (req, res) => {
    guard(bolt, deps, req, res).catch((err: unknown) => {
      deps.log.error({ err: errorMessage(err) }, 'slack request failed');
      if (!res.headersSent) sendJson(res, 503, { error: 'temporarily unavailable; retry later' });
      else res.end();
    });
  };
}

async function guard(
  bolt: RequestListener,
  deps: SlackGuardDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    replyAndClose(res, 405, { error: 'use POST' });
    return;
  }
  const headers = checkSignedHeaders(
    req.headers['x-slack-signature'],
    req.headers['x-slack-request-timestamp'],
    deps.now(),
  );
  if (!headers.ok) {
    deps.log.warn({ reason: headers.error }, 'slack request refused before its body');
    replyAndClose(res, 401, { error: headers.error });
    return;
  }
  const tooLarge = { error: `body larger than ${SLACK_BODY_LIMIT_BYTES} bytes` };
  if ((declaredLength(req.headers) ?? 0) > SLACK_BODY_LIMIT_BYTES) {
    replyAndClose(res, 413, tooLarge);
    return;
  }
  let read: BodyResult;
  try {
    read = await readBody(req, SLACK_BODY_LIMIT_BYTES);
  } catch (err) {
    // A client that hangs up mid-body is its own business, not a fault of ours.
    deps.log.warn({ err: errorMessage(err) }, 'slack request body aborted');
    res.destroy();
    return;
  }
  if (!read.ok) {
    replyAndClose(res, 413, tooLarge);
    return;
  }
  if (!verifyV0Signature(deps.signingSecret, headers, read.body)) {
    deps.log.warn({}, 'slack request with a wrong signature refused');
    sendJson(res, 401, { error: 'wrong signature' });
    return;
  }
  const fields = checkSlackFields(req.headers['content-type'], read.body.toString('utf8'));
  if (!fields.ok) {
    deps.log.warn({ reason: fields.error }, 'malformed slack request refused');
    sendJson(res, 400, { error: fields.error });
    return;
  }
  if (!fields.handshake && !mayUseWorkspace(deps.workspaces, fields.teamId, fields.enterpriseId)) {
    deps.log.warn(
      { team: fields.teamId, enterprise: fields.enterpriseId },
      'slack request from another workspace refused',
    );
    sendJson(res, 403, { error: 'this workspace may not use portbot' });
    return;
  }
  if (!(await deps.claimOnce(replayKey('slack', headers.timestamp, read.body), REPLAY_TTL_MS))) {
    deps.log.warn({ kind: fields.kind, team: fields.teamId }, 'replayed slack request refused');
    // 200 so Slack itself never retries it; a person sees why nothing happened.
    sendJson(
      res,
      200,
      fields.kind === 'command'
        ? {
            response_type: 'ephemeral',
            text: 'This request was already received; ignoring the replay.',
          }
        : {},
    );
    return;
  }
  // Bolt takes an already-read body from `rawBody` instead of reading the stream again.
  Object.assign(req, { rawBody: read.body });
  bolt(req, res);
}
