import { VERDICTS } from '../../../../src/domain/verdict';
import {
  renderDiagnosingMessage,
  renderDiagnosisMessage,
  renderError,
  renderEvidenceReply,
  renderGroupSummary,
  renderHeldSummary,
  renderHelp,
} from '../../../../src/render/slack';
import { allDiagnoses, loadDiagnosis } from './diagnosisFixtures';
import { expectGolden } from './goldenFile';

const INCIDENT = 'inc-20261121-lb-01-80-7f3a';

describe('Block Kit golden files', () => {
  it.each(VERDICTS)('%s: root message and evidence reply', (verdict) => {
    const d = loadDiagnosis(verdict);
    expectGolden(verdict, {
      root: renderDiagnosisMessage(d, { incidentId: INCIDENT }),
      evidence: renderEvidenceReply(d),
    });
  });

  it('a repeated, then resolved, incident', () => {
    const d = loadDiagnosis('foreign-listener');
    expectGolden(
      'foreign-listener.repeated',
      renderDiagnosisMessage(d, { incidentId: INCIDENT, alertCount: 17 }),
    );
    expectGolden(
      'foreign-listener.resolved',
      renderDiagnosisMessage(d, {
        incidentId: INCIDENT,
        alertCount: 17,
        resolvedAt: '2026-11-21T10:14:14Z',
        durationText: '12m 3s',
      }),
    );
  });

  it('the other messages', () => {
    expectGolden(
      'diagnosing.command',
      renderDiagnosingMessage({
        host: 'lb-01',
        port: 80,
        requestedBy: 'U024BE7LH',
        source: 'command',
      }),
    );
    expectGolden(
      'diagnosing.alert',
      renderDiagnosingMessage({ host: 'lb-01', port: 80, source: 'alert' }),
    );
    const fleet = allDiagnoses().map((d, i) => ({
      ...d,
      host: `lb-${String(i + 1).padStart(2, '0')}`,
    }));
    expectGolden('group-summary', renderGroupSummary(fleet, { scope: 'all', port: 80 }));
    expectGolden('help', renderHelp());
    // 7 of 10 alerts over 10 ports held by a cap of 3, as in the held-summary service test.
    expectGolden(
      'held-summary',
      renderHeldSummary({
        source: 'alertmanager',
        minuteStartMs: Date.parse('2026-11-21T10:14:00Z'),
        count: 7,
        targets: [8004, 8005, 8006, 8007, 8008, 8009, 8010].map((port) => ({
          host: 'lb-01',
          port,
        })),
        distinctTargets: 7,
        targetsComplete: true,
        perMinute: 3,
      }),
    );
    expectGolden(
      'held-summary.many',
      renderHeldSummary({
        source: 'generic',
        minuteStartMs: Date.parse('2026-11-21T10:15:00Z'),
        count: 4210,
        targets: Array.from({ length: 200 }, (_, i) => ({ host: 'lb-02', port: 9000 + i })),
        distinctTargets: 200,
        targetsComplete: false,
        perMinute: 20,
      }),
    );
    expectGolden(
      'error',
      renderError(
        'unknown host "lb-9"',
        'Known hosts: lb-01, lb-02, lb-03. Usage: `/port check <host> <port>`',
      ),
    );
  });
});
