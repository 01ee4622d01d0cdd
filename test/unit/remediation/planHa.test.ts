import { planRemediation } from '../../../src/remediation/planRemediation';
import type { PlanResult, RemediationPlan } from '../../../src/remediation/RemediationPlan';
import { haGroup } from '../../support/factories/diagnoseInput';
import { BACKUP, diag, input, MASTER } from '../../support/factories/planInput';

function planOf(result: PlanResult): RemediationPlan {
  if (!result.ok) throw new Error(`refused: ${result.code}: ${result.reason}`);
  return result.plan;
}
const kinds = (plan: RemediationPlan): string[] => plan.steps.map((s) => `${s.host} ${s.kind}`);
const index = (plan: RemediationPlan, kind: string): number =>
  plan.steps.findIndex((s) => s.kind === kind);

const master = diag('foreign-listener', 'lb-01', MASTER);
const healthyPeer = diag('healthy', 'lb-02', BACKUP);

describe('kill on the VIP holder with a healthy peer', () => {
  const p = planOf(planRemediation(input('kill-occupant', master, [master, healthyPeer])));

  it('verifies the backup, hands the VIP over, acts, then promotes and confirms one holder', () => {
    expect(kinds(p)).toEqual([
      'lb-01 recheck-target',
      'lb-01 config-test',
      'lb-02 verify-peer',
      'lb-01 demote',
      'lb-01 wait-vip-moved',
      'lb-01 signal',
      'lb-01 wait-port-free',
      'lb-01 start-lb',
      'lb-01 verify-listening',
      'lb-01 promote',
      'lb-01 verify-vip',
    ]);
    expect(p.approvalClass).toBe('vip-holder');
    expect(p.ha).toEqual({
      group: 'edge',
      vip: '10.0.0.100',
      vipHolder: 'lb-01',
      peers: ['lb-02'],
    });
  });

  it('never has both members down: the backup serves before the master is touched', () => {
    expect(p.steps[index(p, 'verify-peer')]?.verification).toEqual([
      { kind: 'lb-listening', host: 'lb-02', port: 80, withinMs: 10000 },
    ]);
    expect(p.steps[index(p, 'wait-vip-moved')]?.verification).toEqual([
      { kind: 'vip-moved', from: 'lb-01', to: ['lb-02'], vip: '10.0.0.100', withinMs: 15000 },
    ]);
    expect(index(p, 'verify-peer')).toBeLessThan(index(p, 'demote'));
    expect(index(p, 'wait-vip-moved')).toBeLessThan(index(p, 'signal'));
    // demote, signal, start-lb, promote: nothing mutating ever runs on the peer.
    expect(p.steps.filter((s) => s.mutating).map((s) => s.host)).toEqual([
      'lb-01',
      'lb-01',
      'lb-01',
      'lb-01',
    ]);
  });

  it('uses the default keepalived commands and promotes only a member that listens again', () => {
    expect(p.steps[index(p, 'demote')]?.command).toBe('systemctl stop keepalived');
    expect(p.steps[index(p, 'demote')]?.precondition).toEqual([
      { kind: 'vip-held-once', by: ['lb-01'], vip: '10.0.0.100', withinMs: 0 },
    ]);
    const promote = p.steps[index(p, 'promote')];
    expect(promote?.command).toBe('systemctl start keepalived');
    expect(promote?.precondition).toEqual([
      { kind: 'lb-listening', host: 'lb-01', port: 80, withinMs: 0 },
    ]);
    expect(p.steps[index(p, 'verify-vip')]?.verification).toEqual([
      { kind: 'vip-held-once', by: ['lb-01', 'lb-02'], vip: '10.0.0.100', withinMs: 15000 },
    ]);
  });

  it('says that a failure after the demote leaves the VIP on the peer, without promote', () => {
    for (const kind of ['signal', 'wait-port-free', 'start-lb', 'verify-listening', 'promote']) {
      expect(p.steps[index(p, kind)]?.ifFails).toMatch(/the VIP stays on lb-02 \(no promote\)/);
    }
    expect(p.steps[index(p, 'recheck-target')]?.ifFails).not.toMatch(/VIP/);
  });

  it("uses the haGroup's own demote/promote commands", () => {
    const i = input('kill-occupant', master, [master, healthyPeer]);
    const config = haGroup({
      commands: { demote: 'kill -TERM $(cat /run/k.pid)', promote: '/usr/sbin/keepalived -D' },
    });
    const custom = planOf(
      planRemediation({ ...i, group: { config, diagnoses: [master, healthyPeer] } }),
    );
    expect(custom.steps[index(custom, 'demote')]?.command).toBe('kill -TERM $(cat /run/k.pid)');
    expect(custom.steps[index(custom, 'promote')]?.command).toBe('/usr/sbin/keepalived -D');
  });
});

describe('kill on a backup', () => {
  const backup = diag('foreign-listener', 'lb-02', BACKUP);
  const holder = diag('healthy', 'lb-01', MASTER);
  const p = planOf(planRemediation(input('kill-occupant', backup, [holder, backup])));

  it('needs no handover, but every mutating step first checks the VIP has not moved to it', () => {
    expect(kinds(p)).not.toContain('lb-02 demote');
    expect(p.approvalClass).toBe('default');
    for (const step of p.steps.filter((s) => s.mutating)) {
      expect(step.precondition).toContainEqual({
        kind: 'vip-not-on',
        host: 'lb-02',
        vip: '10.0.0.100',
      });
    }
    expect(p.ha?.vipHolder).toBe('lb-01');
  });
});

describe('restart-lb on the VIP holder', () => {
  it('hands the VIP over around a restart of a running LB', () => {
    const d = diag('stale-lb-instance', 'lb-01', MASTER, {
      lb: { kind: 'nginx', running: true, pid: 812, listening: false },
    });
    const p = planOf(planRemediation(input('restart-lb', d, [d, healthyPeer])));
    expect(kinds(p)).toEqual([
      'lb-01 config-test',
      'lb-02 verify-peer',
      'lb-01 demote',
      'lb-01 wait-vip-moved',
      'lb-01 restart-lb',
      'lb-01 verify-listening',
      'lb-01 promote',
      'lb-01 verify-vip',
    ]);
  });

  it('starting a down LB interrupts nothing: no handover', () => {
    const d = diag('stale-lb-instance', 'lb-01', MASTER);
    const p = planOf(planRemediation(input('restart-lb', d, [d, healthyPeer])));
    expect(kinds(p)).toEqual(['lb-01 config-test', 'lb-01 start-lb', 'lb-01 verify-listening']);
  });
});

describe('HA refusals and the outage path', () => {
  const sickPeer = diag('port-free-lb-down', 'lb-02', BACKUP);

  it('refuses a plan on the VIP holder without a healthy peer', () => {
    const result = planRemediation(input('kill-occupant', master, [master, sickPeer]));
    expect(result.ok ? 'ok' : result.code).toBe('no-healthy-peer');
    expect(result.ok ? '' : result.reason).toMatch(/outage/);
  });

  it('with the outage accepted: no handover, and the plan needs the outage approvals', () => {
    const p = planOf(
      planRemediation(input('kill-occupant', master, [master, sickPeer], { acceptOutage: true })),
    );
    expect(p.approvalClass).toBe('outage');
    expect(kinds(p)).toEqual([
      'lb-01 recheck-target',
      'lb-01 config-test',
      'lb-01 signal',
      'lb-01 wait-port-free',
      'lb-01 start-lb',
      'lb-01 verify-listening',
    ]);
  });

  it('refuses when a member that could win the election is not verified healthy', () => {
    const third = diag('port-free-lb-down', 'lb-03', BACKUP);
    const result = planRemediation(input('kill-occupant', master, [master, healthyPeer, third]));
    expect(result.ok ? 'ok' : result.code).toBe('peer-unverified');
    expect(result.ok ? '' : result.reason).toMatch(/lb-03/);
  });

  it('ignores a FAULT member, which takes no part in the election', () => {
    const third = diag('port-free-lb-down', 'lb-03', { role: 'FAULT', holdsVip: false });
    const p = planOf(planRemediation(input('kill-occupant', master, [master, healthyPeer, third])));
    expect(p.ha?.peers).toEqual(['lb-02']);
  });

  it('treats an unreachable member as unverified', () => {
    const lost = diag('healthy', 'lb-03', null, { verdict: 'unreachable' });
    const result = planRemediation(input('kill-occupant', master, [master, healthyPeer, lost]));
    expect(result.ok ? 'ok' : result.code).toBe('peer-unverified');
  });

  it('refuses a split brain (the VIP on two members)', () => {
    const alsoMaster = diag('healthy', 'lb-02', MASTER);
    const result = planRemediation(input('kill-occupant', master, [master, alsoMaster]));
    expect(result.ok ? 'ok' : result.code).toBe('split-brain');
  });

  it('refuses when a member was not diagnosed, or on another port', () => {
    const i = input('kill-occupant', master, [master, healthyPeer]);
    const missing = planRemediation({
      ...i,
      group: { config: i.group!.config, diagnoses: [master] },
    });
    expect(missing.ok ? 'ok' : missing.code).toBe('member-not-diagnosed');
    const otherPort = { ...healthyPeer, port: 443 };
    const wrongPort = planRemediation({
      ...i,
      group: { config: i.group!.config, diagnoses: [master, otherPort] },
    });
    expect(wrongPort.ok ? 'ok' : wrongPort.code).toBe('member-not-diagnosed');
    const noGroup = planRemediation({ ...i, group: null });
    expect(noGroup.ok ? 'ok' : noGroup.code).toBe('member-not-diagnosed');
  });
});
