import { WebClient, type Logger } from '@slack/web-api';

export interface WebClients {
  /** Reads, updates and auth.test: idempotent, so the HTTP client may retry them. */
  client: WebClient;
  /**
   * chat.postMessage only, never retried by the HTTP client: a timed-out post may still land, and
   * a resend would land a second copy. postOnce and the queue retry posts instead.
   */
  posts: WebClient;
}

/** Request timeout; postOnce's claim lease (POST_LEASE_MS) must be well past it. */
export const SLACK_TIMEOUT_MS = 8000;

export function createWebClients(
  token: string,
  opts: { apiUrl?: string; logger?: Logger },
): WebClients {
  const common = {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    timeout: SLACK_TIMEOUT_MS,
    // A 429 goes back to the queue (RetryLater) instead of holding a claim and a slot.
    rejectRateLimitedCalls: true,
  };
  return {
    client: new WebClient(token, {
      ...common,
      retryConfig: { retries: 2, factor: 2, minTimeout: 500 },
    }),
    posts: new WebClient(token, { ...common, retryConfig: { retries: 0 } }),
  };
}
