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
  | 'INTERNAL';

export class PortbotError extends Error {
  readonly code: ErrorCode;
  readonly userFacing: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { userFacing?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PortbotError';
    this.code = code;
    this.userFacing = opts.userFacing ?? true;
  }
}

export function isPortbotError(err: unknown): err is PortbotError {
  return err instanceof PortbotError;
}
