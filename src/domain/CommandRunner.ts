import type { HostConfig } from './HostConfig';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the remote side ended by signal. */
  code: number | null;
  signal: string | null;
  /** True when stdout or stderr was cut at the output cap. */
  truncated: boolean;
  durationMs: number;
}

export interface ExecOptions {
  /** Overrides host.commandTimeoutMs. */
  timeoutMs?: number;
  /** Bytes kept per stream; the rest is dropped and `truncated` set. */
  maxOutputBytes?: number;
  /**
   * Sent to the command's standard input, then EOF. Lets a script run as `exec /bin/sh -s`
   * whatever the user's login shell is (csh or fish would misread a POSIX script given as
   * the command), and keeps the script text out of the remote `ps`.
   */
  stdin?: string;
}

/**
 * The one way the core runs something on a host. The ssh2 pool implements it; unit tests use
 * fakes. Failures are thrown as PortbotError with an SSH_* / HOST_KEY_* / COMMAND_TIMEOUT code.
 * A non-zero exit status is NOT a failure: it is returned in `code`.
 */
export interface CommandRunner {
  exec(host: HostConfig, command: string, opts?: ExecOptions): Promise<ExecResult>;
}
