import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Log } from '../domain/Log';
import { REPLAY_TTL_MS } from '../ingress/signing/v0Signature';

/**
 * Socket Mode has no signature to key replays on, and Slack may deliver an envelope again (after
 * a reconnect, or a late ack): the envelope id is the key. A second delivery is acked and does
 * nothing, so a slash command queues one diagnosis and a click counts once, across every serve.
 */
export function oncePerEnvelope(
  claimOnce: (key: string, ttlMs: number) => Promise<boolean>,
  log: Log,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const id: unknown = args.context.envelopeId;
    if (typeof id === 'string' && !(await claimOnce(`envelope:${id}`, REPLAY_TTL_MS))) {
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
      log.warn({ envelopeId: id.slice(0, 64) }, 'repeated socket mode envelope ignored');
      return;
    }
    await args.next();
  };
}
