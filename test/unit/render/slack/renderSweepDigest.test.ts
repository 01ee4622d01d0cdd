import {
  checkBlockKitLimits,
  RENDER_BUDGET,
  renderSweepDigest,
} from '../../../../src/render/slack';
import { diffRisks, markRisks } from '../../../../src/sweep/diffRisks';
import type { HostSweep, SweepRisk } from '../../../../src/sweep/SweepRisk';
import { expectGolden } from './goldenFile';

// Risks as the lab sweep reports them (test/integration/sweepLab.test.ts), evidence left out.
const risk = (over: Partial<SweepRisk> & Pick<SweepRisk, 'code' | 'subject'>): SweepRisk => ({
  port: 80,
  severity: 'high',
  detail: '',
  evidence: [],
  ...over,
});
const sweeps: HostSweep[] = [
  {
    host: 'lb-01',
    lbPorts: [80],
    risks: [
      risk({ code: 'port-in-ephemeral-range', subject: '80-60999' }),
      risk({ code: 'vip-split-brain', port: null, subject: 'lb-01,lb-02' }),
    ],
    failure: null,
    unseen: [],
  },
  {
    host: 'lb-02',
    lbPorts: [80],
    risks: [risk({ code: 'vip-split-brain', port: null, subject: 'lb-01,lb-02' })],
    failure: null,
    unseen: [],
  },
  {
    host: 'lb-03',
    lbPorts: [80],
    risks: [risk({ code: 'duplicate-listen', severity: 'medium', subject: '0.0.0.0:80' })],
    failure: null,
    unseen: [],
  },
  {
    host: 'lb-04',
    lbPorts: [80],
    risks: [risk({ code: 'foreign-listener', subject: 'python3' })],
    failure: null,
    unseen: [],
  },
  {
    host: 'lb-05',
    lbPorts: [443],
    risks: [],
    failure: { code: 'SSH_REFUSED', message: 'refused' },
    unseen: [],
  },
];

describe('renderSweepDigest', () => {
  it('first sweep: a table per risk code (golden)', () => {
    const m = renderSweepDigest({
      scope: 'all',
      sweeps,
      diff: diffRisks(null, sweeps),
      first: true,
      requestedBy: 'U01OPS',
    });
    expectGolden('sweep-digest', m);
    expect(checkBlockKitLimits(m.blocks, m.text)).toEqual([]);
  });

  it('later sweep: only what is new or changed, the rest counted (golden)', () => {
    const before = markRisks(sweeps);
    const now: HostSweep[] = sweeps.map((s) =>
      s.host === 'lb-04'
        ? { ...s, risks: [risk({ code: 'foreign-listener', subject: 'nc' })] }
        : s.host === 'lb-03'
          ? { ...s, risks: [] }
          : s,
    );
    const m = renderSweepDigest({
      scope: 'all',
      sweeps: now,
      diff: diffRisks(before, now),
      first: false,
      requestedBy: null,
    });
    expectGolden('sweep-digest.changed', m);
    expect(m.text).toBe('🔎 Port-conflict sweep of all: 1 new or changed risk');
  });

  it('500 hosts with every risk stays within Slack limits', () => {
    const many: HostSweep[] = Array.from({ length: 500 }, (_, i) => ({
      host: `edge-lb-${String(i).padStart(4, '0')}.fra1.example.net`,
      lbPorts: [80, 443],
      risks: (
        [
          'port-in-ephemeral-range',
          'foreign-listener',
          'duplicate-listen',
          'socket-unit-overlap',
          'nodeport-range-overlap',
          'conntrack-pressure',
          'vip-split-brain',
          'vip-not-held',
        ] as const
      ).map((code) => risk({ code, subject: `<!channel> ${'x'.repeat(80)}` })),
      failure: i % 50 === 0 ? { code: 'SSH_TIMEOUT', message: 't' } : null,
      unseen: [],
    }));
    const m = renderSweepDigest({
      scope: 'all',
      sweeps: many,
      diff: diffRisks(null, many),
      first: true,
      requestedBy: null,
    });
    expect(checkBlockKitLimits(m.blocks, m.text)).toEqual([]);
    const text = JSON.stringify(m.blocks);
    expect(text).not.toContain('<!channel>');
    expect(m.blocks.length).toBeLessThanOrEqual(RENDER_BUDGET.blocks);
    expect(text).toContain('more not listed');
  });
});
