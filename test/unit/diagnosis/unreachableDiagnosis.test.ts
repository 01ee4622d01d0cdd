import type { DiagnosisFailureCode } from '../../../src/diagnosis/diagnosisFailure';
import { unreachableDiagnosis } from '../../../src/diagnosis/unreachableDiagnosis';

describe('unreachableDiagnosis', () => {
  it.each([
    ['HOST_KEY_MISMATCH', 'host-key-mismatch', false],
    ['SSH_REFUSED', 'ssh-refused', true],
    ['SSH_TIMEOUT', 'ssh-timeout', true],
    ['COMMAND_TIMEOUT', 'command-timeout', true],
    ['SSH_AUTH', 'ssh-auth', false],
    ['PROBE_FAILED', 'probe-failed', false],
  ] as [DiagnosisFailureCode, string, boolean][])(
    '%s → finding %s, no actions, failure typed (transient: %s)',
    (code, finding, transient) => {
      const err = { code, message: 'lb-01 (10.0.0.11:22): Host denied (verification failed)' };
      const d = unreachableDiagnosis('lb-01', 443, err, 17);
      expect(d).toMatchObject({
        host: 'lb-01',
        port: 443,
        verdict: 'unreachable',
        occupant: null,
        lb: null,
        ha: null,
        actions: [],
        durationMs: 17,
      });
      expect(d.failure).toEqual({ code, transient });
      expect(d.findings).toEqual([{ code: finding, detail: err.message }]);
      expect(d.evidence[0]?.output).toContain(code);
    },
  );
});
