import { unreachableDiagnosis } from '../../../src/diagnosis/unreachableDiagnosis';
import { PortbotError, type ErrorCode } from '../../../src/domain/PortbotError';

describe('unreachableDiagnosis', () => {
  it.each([
    ['HOST_KEY_MISMATCH', 'host-key-mismatch'],
    ['SSH_REFUSED', 'ssh-refused'],
    ['SSH_TIMEOUT', 'ssh-timeout'],
    ['SSH_AUTH', 'ssh-auth'],
  ] as [ErrorCode, string][])('%s → finding %s, no actions', (code, finding) => {
    const err = new PortbotError(code, 'lb-01 (10.0.0.11:22): Host denied (verification failed)');
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
    expect(d.findings).toEqual([{ code: finding, detail: err.message }]);
    expect(d.evidence[0]?.output).toContain(code);
  });
});
