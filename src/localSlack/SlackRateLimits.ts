import type { MethodResult, Params } from './localSlackTypes';
import { apiError, str } from './MethodHandler';

/** A token bucket: `burst` calls at once, then `perMinute` spread over the minute. */
export interface RateTier {
  perMinute: number;
  burst: number;
  /** 'channel': one bucket per channel (chat.postMessage); 'workspace': one per method. */
  scope: 'channel' | 'workspace';
}

/**
 * Slack's published limits (docs.slack.dev/apis/web-api/rate-limits): chat.postMessage "one
 * message per second per channel", short bursts allowed; chat.update Tier 3, "50+ per minute"
 * per method per workspace, sporadic bursts welcome. The burst sizes are our guess at "short".
 */
export const SLACK_TIERS: Readonly<Record<string, RateTier>> = {
  'chat.postMessage': { perMinute: 60, burst: 5, scope: 'channel' },
  'chat.update': { perMinute: 50, burst: 10, scope: 'workspace' },
};

/** Answers 429 + Retry-After (whole seconds, as Slack sends) once a method's bucket is empty. */
export class SlackRateLimits {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly tiers: Readonly<Record<string, RateTier>> = SLACK_TIERS,
    private readonly now: () => number = Date.now,
  ) {}

  check(method: string, params: Params): MethodResult | undefined {
    const tier = this.tiers[method];
    if (!tier) return undefined;
    const key = tier.scope === 'channel' ? `${method}\u0000${str(params.channel) ?? ''}` : method;
    const perMs = tier.perMinute / 60_000;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: tier.burst, at: now };
    b.tokens = Math.min(tier.burst, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfter) },
      body: apiError('ratelimited'),
    };
  }
}
