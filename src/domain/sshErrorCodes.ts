import type { ErrorCode } from './PortbotError';

/** SSH failure classes that make a host `unreachable` (finding code = lower-case class). */
export const SSH_FAILURE_CODES = [
  'SSH_REFUSED',
  'SSH_TIMEOUT',
  'SSH_AUTH',
  'HOST_KEY_MISMATCH',
  'HOST_KEY_UNKNOWN',
  'COMMAND_TIMEOUT',
  'SSH_ERROR',
] as const satisfies readonly ErrorCode[];

export type SshFailureCode = (typeof SSH_FAILURE_CODES)[number];

export function isSshFailureCode(code: string): code is SshFailureCode {
  return (SSH_FAILURE_CODES as readonly string[]).includes(code);
}
