import { ErrorCode, LogLevel, WebClient, type Logger } from '@slack/web-api';
import type { SlackAuthFacts, SlackChannelFacts, SlackProbe } from '../domain/DoctorProbes';

/** A Web API failure as plain facts: Slack's error code when it answered, else why not. */
interface CallFailure {
  error: string;
  reached: boolean;
  needed: string | null;
}

function failure(err: unknown): CallFailure {
  const e = err as {
    code?: string;
    data?: { error?: unknown; needed?: unknown };
    statusCode?: number;
    original?: { message?: string; cause?: { message?: string } };
    message?: string;
  };
  if (e.code === ErrorCode.PlatformError) {
    return {
      error: typeof e.data?.error === 'string' ? e.data.error : 'an error',
      reached: true,
      needed: typeof e.data?.needed === 'string' ? e.data.needed : null,
    };
  }
  if (e.code === ErrorCode.RateLimitedError)
    return { error: 'ratelimited', reached: true, needed: null };
  if (e.code === ErrorCode.HTTPError) {
    return { error: `HTTP ${e.statusCode ?? '?'}`, reached: true, needed: null };
  }
  // fetch says only "fetch failed"; the cause names it (ECONNREFUSED, ENOTFOUND, a TLS error).
  const why = e.original?.cause?.message ?? e.original?.message ?? e.message ?? String(err);
  return { error: why, reached: false, needed: null };
}

// WebClient logs to the console by default; doctor's stdout may be JSON for a script.
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * The two Web API calls `portbot doctor` makes, each within timeoutMs and never retried:
 * auth.test (whose x-oauth-scopes header WebClient hands back as response_metadata.scopes) and
 * conversations.info for the alert channel.
 */
export class WebClientSlackProbe implements SlackProbe {
  private readonly client: WebClient;

  constructor(token: string, opts: { apiUrl?: string | undefined; timeoutMs: number }) {
    this.client = new WebClient(token, {
      ...(opts.apiUrl !== undefined ? { slackApiUrl: opts.apiUrl } : {}),
      timeout: opts.timeoutMs,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: quiet,
    });
  }

  async authTest(): Promise<SlackAuthFacts> {
    try {
      const r = await this.client.auth.test();
      return {
        ok: true,
        user: r.user ?? '?',
        userId: r.user_id ?? '?',
        team: r.team ?? '?',
        teamId: r.team_id ?? '?',
        enterpriseId: r.enterprise_id ?? null,
        scopes: r.response_metadata?.scopes?.filter((s) => s !== '') ?? null,
      };
    } catch (err) {
      const f = failure(err);
      return { ok: false, error: f.error, reached: f.reached };
    }
  }

  async channelInfo(channel: string): Promise<SlackChannelFacts> {
    try {
      const r = await this.client.conversations.info({ channel });
      const c = r.channel;
      return {
        ok: true,
        id: c?.id ?? channel,
        name: c?.name ?? channel,
        isMember: c?.is_member === true,
        isArchived: c?.is_archived === true,
        isPrivate: c?.is_private === true,
      };
    } catch (err) {
      return { ok: false, ...failure(err) };
    }
  }
}
