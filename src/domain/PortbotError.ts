/**
 * Every error portbot raises on purpose carries a code. `userFacing` errors may be shown to the
 * person who asked (CLI line, Slack ephemeral); the rest are logged with an incident reference.
 */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'POLICY_INVALID'
  | 'INVENTORY_INVALID'
  | 'RUNBOOK_INVALID'
  | 'UNKNOWN_HOST'
  | 'UNKNOWN_GROUP'
  | 'BAD_PORT'
  | 'SSH_REFUSED'
  | 'SSH_TIMEOUT'
  | 'SSH_AUTH'
  | 'HOST_KEY_MISMATCH'
  | 'HOST_KEY_UNKNOWN'
  | 'COMMAND_TIMEOUT'
  | 'SSH_ERROR'
  | 'PROBE_FAILED'
  | 'SLACK_API'
  | 'AUDIT_INVALID'
  | 'RETRY_LATER'
  | 'WORKSPACE_REFUSED'
  | 'REDIS_SERVER_MISSING'
  | 'EMBEDDED_REDIS_FAILED'
  | 'EMBEDDED_REDIS_AUTH'
  | 'EMBEDDED_REDIS_PORT_TAKEN'
  | 'EMBEDDED_REDIS_DIR'
  | 'INTERNAL';

export class PortbotError extends Error {
  readonly code: ErrorCode;
  readonly userFacing: boolean;
  /** A retry cannot fix it (e.g. Slack answered channel_not_found): the job stops. */
  readonly permanent: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { userFacing?: boolean; cause?: unknown; permanent?: boolean } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PortbotError';
    this.code = code;
    this.userFacing = opts.userFacing ?? true;
    this.permanent = opts.permanent ?? false;
  }
}

export function isPortbotError(err: unknown): err is PortbotError {
  return err instanceof PortbotError;
}
