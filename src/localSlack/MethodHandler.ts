import type { SlackApiError } from './checkMessageContent';
import type { LocalSlackStore } from './LocalSlackStore';
import type { Params, LocalSlackChannel } from './localSlackTypes';

export interface HandlerContext {
  store: LocalSlackStore;
  /** Where this server is reachable, e.g. "http://127.0.0.1:4321"; used for upload URLs. */
  origin: string;
}

/** A Web API method: decoded params in, Slack's JSON body out (always HTTP 200, as Slack does). */
export type MethodHandler = (params: Params, ctx: HandlerContext) => Record<string, unknown>;

/** Slack's error body; detail problems go in `errors` and `response_metadata.messages`. */
export function apiError(err: SlackApiError | string): Record<string, unknown> {
  const e = typeof err === 'string' ? { error: err } : err;
  if (!e.problems?.length) return { ok: false, error: e.error };
  return {
    ok: false,
    error: e.error,
    errors: e.problems,
    response_metadata: { messages: e.problems.map((p) => `[ERROR] ${p}`) },
  };
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** The channel a message call may post to, or the Slack error explaining why not. */
export function postableChannel(
  ctx: HandlerContext,
  idOrName: unknown,
): LocalSlackChannel | { error: string } {
  const name = str(idOrName);
  const channel = name ? ctx.store.channel(name) : undefined;
  if (!channel) return { error: 'channel_not_found' };
  if (channel.isArchived) return { error: 'is_archived' };
  if (channel.botIsMember === false) return { error: 'not_in_channel' };
  return channel;
}
