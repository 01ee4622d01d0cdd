import type { Diagnosis } from '../domain/diagnosis';
import { diagnosisFailure, type DiagnosisFailureCode } from './diagnosisFailure';

/** SSH failed before any probe ran: the finding names the failure class, e.g. `host-key-mismatch`. */
export function unreachableDiagnosis(
  host: string,
  port: number,
  err: { code: DiagnosisFailureCode; message: string },
  durationMs: number,
): Diagnosis {
  const code = err.code.toLowerCase().replace(/_/g, '-');
  return {
    host,
    port,
    verdict: 'unreachable',
    summary: `${host} could not be diagnosed: ${code.replace(/-/g, ' ')} — ${err.message}`,
    occupant: null,
    lb: null,
    ha: null,
    findings: [{ code, detail: err.message }],
    evidence: [{ probe: 'ssh', command: `ssh ${host}`, output: `${err.code}: ${err.message}` }],
    actions: [],
    durationMs,
    failure: diagnosisFailure(err.code),
  };
}
