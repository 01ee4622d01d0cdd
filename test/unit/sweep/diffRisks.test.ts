import { carryOver, diffRisks, markRisks } from '../../../src/sweep/diffRisks';
import type { HostSweep, SweepRisk } from '../../../src/sweep/SweepRisk';

const risk = (over: Partial<SweepRisk> = {}): SweepRisk => ({
  code: 'foreign-listener',
  port: 80,
  severity: 'high',
  detail: 'python3 (pid 1) listens on port 80',
  subject: 'python3',
  evidence: [],
  ...over,
});
const host = (name: string, risks: SweepRisk[], failed = false): HostSweep => ({
  host: name,
  lbPorts: [80],
  risks,
  failure: failed ? { code: 'SSH_REFUSED', message: 'refused' } : null,
  unseen: [],
});
const unreadConfig = (name: string): HostSweep => ({
  ...host(name, []),
  unseen: [{ code: 'lb-config-unreadable', detail: 'head: cannot open /etc/nginx/nginx.conf' }],
});

describe('diffRisks', () => {
  it('a host whose LB config could not be read resolves none of its risks and keeps them', () => {
    const before = markRisks([host('a', [risk()])]);
    const d = diffRisks(before, [unreadConfig('a')]);
    expect(d.resolved).toEqual([]);
    expect(carryOver(before, [unreadConfig('a')])).toEqual(before);
  });

  it('first sweep: everything is new', () => {
    const d = diffRisks(null, [host('a', [risk()])]);
    expect(d.fresh.map((f) => [f.host, f.change])).toEqual([['a', 'new']]);
  });
  it('same cause again: unchanged even when the detail (pid, counts) differs', () => {
    const prev = markRisks([host('a', [risk()])]);
    const d = diffRisks(prev, [
      host('a', [risk({ detail: 'python3 (pid 7) listens on port 80' })]),
    ]);
    expect(d).toEqual({ fresh: [], unchanged: 1, resolved: [] });
  });
  it('another program or severity: changed; gone: resolved', () => {
    const prev = markRisks([
      host('a', [risk()]),
      host('b', [
        risk({ code: 'conntrack-pressure', port: null, subject: 'above 80 %', severity: 'medium' }),
      ]),
    ]);
    const d = diffRisks(prev, [host('a', [risk({ subject: 'nc' })]), host('b', [])]);
    expect(d.fresh.map((f) => [f.host, f.risk.code, f.change])).toEqual([
      ['a', 'foreign-listener', 'changed'],
    ]);
    expect(d.resolved.map((r) => [r.host, r.code])).toEqual([['b', 'conntrack-pressure']]);
  });
  it('a host not swept now keeps its known risks: not resolved, remembered', () => {
    const prev = markRisks([host('a', [risk()])]);
    const now = [host('a', [], true)];
    expect(diffRisks(prev, now).resolved).toEqual([]);
    expect(carryOver(prev, now)).toEqual(prev);
  });
});
