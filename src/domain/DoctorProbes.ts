import type { HostConfig } from './HostConfig';

/**
 * What the doctor's adapters found out, as plain data: the checks themselves judge it (pure).
 * Every probe is bounded by its own timeout and answers instead of throwing.
 */
export type RedisFacts =
  | {
      reachable: true;
      /** INFO server, memory and replication, as Redis answered them. */
      info: string;
      /** The raw replies to CONFIG GET appendonly / save; undefined when CONFIG is unavailable. */
      appendonly: unknown;
      save: unknown;
      /** Sentinel mode only: the master reached and what each Sentinel names as master. */
      sentinel?: SentinelFacts;
    }
  | { reachable: false; error: string };

export interface SentinelFacts {
  /** The master group name (REDIS_SENTINEL_NAME). */
  name: string;
  /** host:port of the server the connection landed on. */
  reached: string;
  /** Per listed Sentinel: the master it names (host:port), or why it gave none. */
  answers: { sentinel: string; master: string | null; error: string | null }[];
}

export type SlackAuthFacts =
  | {
      ok: true;
      user: string;
      userId: string;
      team: string;
      teamId: string;
      /** Set on an Enterprise Grid install. */
      enterpriseId: string | null;
      /** From the x-oauth-scopes response header; null when Slack sent none. */
      scopes: string[] | null;
    }
  /** `error` is Slack's error code (invalid_auth, token_revoked, …) or why Slack was not reached. */
  | { ok: false; error: string; reached: boolean };

export type SlackChannelFacts =
  | {
      ok: true;
      id: string;
      name: string;
      isMember: boolean;
      isArchived: boolean;
      isPrivate: boolean;
    }
  /** `needed` is the scope Slack names with missing_scope. */
  | { ok: false; error: string; reached: boolean; needed: string | null };

export interface SlackProbe {
  authTest(): Promise<SlackAuthFacts>;
  channelInfo(channel: string): Promise<SlackChannelFacts>;
}

export type SshFacts =
  | {
      ok: true;
      /** SHA256 fingerprint of the key the host presented (verified). */
      fingerprint: string;
      /** Exit status of `true`: anything but 0 means this login cannot run commands. */
      exitCode: number | null;
      durationMs: number;
    }
  /** `code` is the SSH failure class (SSH_TIMEOUT, HOST_KEY_MISMATCH, …). */
  | { ok: false; code: string; message: string };

export interface SshProbe {
  /** Connects with the host's read-only credential within timeoutMs and runs `true`. */
  check(host: HostConfig, timeoutMs: number): Promise<SshFacts>;
}
