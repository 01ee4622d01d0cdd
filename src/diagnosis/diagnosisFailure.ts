import type { DiagnosisFailure } from '../domain/diagnosis';
import { isSshFailureCode, type SshFailureCode } from '../domain/sshErrorCodes';

/**
 * The retry policy: which failures are worth another attempt. It is decided once, here, where a
 * failure becomes part of the diagnosis; the worker only reads `failure.transient`. The others
 * need a human (wrong key, wrong credentials, a changed host key, a probe script that broke).
 */
const TRANSIENT_SSH_FAILURES: readonly SshFailureCode[] = [
  'SSH_REFUSED',
  'SSH_TIMEOUT',
  'COMMAND_TIMEOUT',
];

export type DiagnosisFailureCode = DiagnosisFailure['code'];

export function isDiagnosisFailureCode(code: string): code is DiagnosisFailureCode {
  return code === 'PROBE_FAILED' || isSshFailureCode(code);
}

export function diagnosisFailure(code: DiagnosisFailureCode): DiagnosisFailure {
  return { code, transient: code !== 'PROBE_FAILED' && TRANSIENT_SSH_FAILURES.includes(code) };
}
