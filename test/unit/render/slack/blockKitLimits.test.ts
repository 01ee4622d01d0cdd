import type { Diagnosis } from '../../../../src/domain/diagnosis';
import { VERDICTS } from '../../../../src/domain/verdict';
import {
  checkBlockKitLimits,
  RENDER_BUDGET,
  renderDiagnosingMessage,
  renderDiagnosisMessage,
  renderError,
  renderEvidenceReply,
  renderGroupSummary,
  renderHeldSummary,
  renderHelp,
  SLACK_LIMITS,
  type SlackMessage,
} from '../../../../src/render/slack';
import { allDiagnoses, hugeDiagnosis, loadDiagnosis } from './diagnosisFixtures';

/** Sum of every `text` string in the blocks: what Slack's undocumented total limit counts. */
function blockText(blocks: unknown): number {
  if (Array.isArray(blocks)) return blocks.reduce((n: number, b) => n + blockText(b), 0);
  if (typeof blocks !== 'object' || blocks === null) return 0;
  return Object.entries(blocks).reduce(
    (n, [k, v]) => n + (k === 'text' && typeof v === 'string' ? v.length : blockText(v)),
    0,
  );
}

function expectWithinLimits(label: string, m: SlackMessage): void {
  expect({ label, violations: checkBlockKitLimits(m.blocks, m.text) }).toEqual({
    label,
    violations: [],
  });
  expect(blockText(m.blocks)).toBeLessThanOrEqual(RENDER_BUDGET.messageBlocksText);
  expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(m.text.length).toBeGreaterThan(0);
}

function everyMessage(d: Diagnosis): [string, SlackMessage][] {
  return [
    ['root', renderDiagnosisMessage(d, { incidentId: 'inc-1' })],
    [
      'root resolved',
      renderDiagnosisMessage(d, {
        incidentId: 'inc-1',
        alertCount: 99_999,
        resolvedAt: d.summary,
        durationText: d.summary,
      }),
    ],
    ['evidence', renderEvidenceReply(d)],
    [
      'diagnosing',
      renderDiagnosingMessage({
        host: d.host,
        port: d.port,
        requestedBy: d.summary,
        source: 'command',
      }),
    ],
    ['error', renderError(d.summary, d.summary)],
  ];
}

describe('every rendered message stays within every Slack limit', () => {
  it.each(VERDICTS)('%s fixture', (verdict) => {
    for (const [label, m] of everyMessage(loadDiagnosis(verdict))) expectWithinLimits(label, m);
  });

  it.each(VERDICTS)('%s with 100 KB evidence, command line, findings and actions', (verdict) => {
    const d = hugeDiagnosis(verdict);
    expect(JSON.stringify(d).length).toBeGreaterThan(100_000);
    for (const [label, m] of everyMessage(d)) expectWithinLimits(label, m);
  });

  it('a huge evidence reply is truncated with a note, not dropped', () => {
    const m = renderEvidenceReply(hugeDiagnosis('foreign-listener'), {
      fullEvidenceHint: 'full output in the attached file',
    });
    const texts = m.blocks.flatMap((b) => ('text' in b && b.text ? [b.text.text] : []));
    expect(
      texts.some((t) => /… truncated [\d,]+ chars; full output in the attached file/.test(t)),
    ).toBe(true);
    const last = m.blocks.at(-1);
    expect(last?.type).toBe('context'); // says how many probes were left out
    expect(JSON.stringify(last)).toMatch(/more probes not shown/);
  });

  it('a group summary of 40 hosts per verdict (over 500) summarises instead of overflowing', () => {
    const base = allDiagnoses();
    // One host in every base.length is unreachable: 40 each, however many verdicts there are.
    const fleet = Array.from({ length: 40 * base.length }, (_, i) => {
      const d = base[i % base.length] as Diagnosis;
      return { ...d, host: `edge-${String(i).padStart(3, '0')}.fra1.example.net`, port: 443 };
    });
    const m = renderGroupSummary(fleet, { scope: 'all' });
    expectWithinLimits('group', m);
    const json = JSON.stringify(m.blocks);
    expect(json).toMatch(/more hosts with a problem not listed/);
    // the tally still counts every host, listed or not
    const unreachable = fleet.filter((d) => d.verdict === 'unreachable').length;
    expect(unreachable).toBeGreaterThan(30);
    expect(json).toContain(`unreachable *${unreachable}*`);
    expect(
      renderGroupSummary(fleet.map(hugeDiagnosisLike), { scope: 'group:edge' }).blocks.length,
    ).toBeLessThanOrEqual(50);
  });

  it('a held summary of many long targets names ten and counts the rest', () => {
    const m = renderHeldSummary({
      source: 'alertmanager',
      minuteStartMs: 0,
      count: 1_000_000,
      targets: Array.from({ length: 200 }, (_, i) => ({ host: `h${i}`.repeat(400), port: i + 1 })),
      distinctTargets: 200,
      targetsComplete: true,
      perMinute: 20,
    });
    expectWithinLimits('held summary', m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('+190 more');
    expect(json).toContain('1,000,000 alerts');
  });

  it('help and an empty group summary', () => {
    expectWithinLimits('help', renderHelp());
    expectWithinLimits('empty group', renderGroupSummary([], { scope: 'group:edge', port: 80 }));
  });
});

function hugeDiagnosisLike(d: Diagnosis): Diagnosis {
  return { ...d, host: 'h'.repeat(5000), summary: '<!channel> '.repeat(5000) };
}
