import type { Diagnosis } from '../../../src/domain/diagnosis';
import { killRefusal } from '../../../src/remediation/killRefusal';
import { formatPlanText } from '../../../src/remediation/formatPlanText';
import { planRemediation } from '../../../src/remediation/planRemediation';
import type { PlanResult, RemediationPlan } from '../../../src/remediation/RemediationPlan';
import { BACKUP, diag, input, MASTER } from '../../support/factories/planInput';

function planOf(result: PlanResult): RemediationPlan {
  if (!result.ok) throw new Error(`refused: ${result.code}: ${result.reason}`);
  return result.plan;
}

const kinds = (plan: RemediationPlan): string[] => plan.steps.map((s) => `${s.host} ${s.kind}`);

describe('planRemediation: kill-occupant on a host without HA', () => {
  const target = diag('foreign-listener', 'lb-01', null);
  const plan = planOf(planRemediation(input('kill-occupant', target, null)));

  it('re-checks, tests the config, sends SIGTERM, waits for the port, starts nginx, verifies', () => {
    expect(kinds(plan)).toEqual([
      'lb-01 recheck-target',
      'lb-01 config-test',
      'lb-01 signal',
      'lb-01 wait-port-free',
      'lb-01 start-lb',
      'lb-01 verify-listening',
    ]);
    expect(plan.steps.map((s) => s.command)).toEqual([
      "ss -H -tuanp '( sport = :80 )'",
      'nginx -t',
      'kill -TERM 4123',
      "ss -H -tuanp '( sport = :80 )'",
      'systemctl start nginx',
      "ss -H -tuanp '( sport = :80 )'",
    ]);
    expect(plan.steps.map((s) => s.mutating)).toEqual([false, false, true, false, true, false]);
    expect(plan.approvalClass).toBe('default');
  });

  it('binds the kill to pid, start ticks, exe, uid and cmdline, checked before and at the signal', () => {
    const identity = {
      pid: 4123,
      startTicks: 123456,
      exe: '/usr/bin/python3.11',
      uid: 0,
      cmdline: 'python3 -m http.server 80',
    };
    expect(plan.target).toEqual(identity);
    const same = { kind: 'occupant-is', host: 'lb-01', port: 80, ...identity };
    expect(plan.steps[0]?.verification).toEqual([same]);
    expect(plan.steps[2]?.precondition).toEqual([same]);
    expect(plan.steps[0]?.ifFails).toMatch(/target changed, re-approval needed/);
  });

  it('portbot plan prints the identity the kill is bound to, command line included', () => {
    const head = formatPlanText(plan).split('\n');
    expect(head[1]).toBe('target: pid 4123, start ticks 123456, exe /usr/bin/python3.11, uid 0');
    expect(head[2]).toBe('cmdline: python3 -m http.server 80');
  });

  it('waits termWaitMs for the port and never falls back to SIGKILL', () => {
    const p = planOf(planRemediation(input('kill-occupant', target, null, { termWaitMs: 7000 })));
    expect(p.steps[3]?.verification).toEqual([
      { kind: 'port-free', host: 'lb-01', port: 80, withinMs: 7000 },
    ]);
    expect(p.steps.some((s) => s.command.includes('KILL'))).toBe(false);
    expect(p.steps[3]?.ifFails).toMatch(/SIGKILL needs its own approval/);
  });

  it('sends SIGKILL only in an escalate-kill plan', () => {
    const p = planOf(planRemediation(input('escalate-kill', target, null)));
    expect(p.action).toBe('escalate-kill');
    expect(p.steps.find((s) => s.kind === 'signal')?.command).toBe('kill -KILL 4123');
  });

  it('prefixes privileged commands with sudo -n for a non-root remediation user', () => {
    const p = planOf(planRemediation(input('kill-occupant', target, null, { sudo: true })));
    expect(p.steps.map((s) => s.command)).toEqual([
      "sudo -n ss -H -tuanp '( sport = :80 )'",
      'sudo -n nginx -t',
      'sudo -n kill -TERM 4123',
      "sudo -n ss -H -tuanp '( sport = :80 )'",
      'sudo -n systemctl start nginx',
      "sudo -n ss -H -tuanp '( sport = :80 )'",
    ]);
  });

  it('reloads instead of starting when the managed LB already runs', () => {
    const running = diag('foreign-listener', 'lb-01', null, {
      lb: { kind: 'nginx', running: true, pid: 900, listening: false },
    });
    const p = planOf(planRemediation(input('kill-occupant', running, null)));
    expect(kinds(p).slice(-2)).toEqual(['lb-01 reload-lb', 'lb-01 verify-listening']);
  });
});

describe('never killed', () => {
  const base = diag('foreign-listener', 'lb-01', null);
  const occ = base.occupant!;
  const withOccupant = (o: Partial<NonNullable<Diagnosis['occupant']>>): Diagnosis => ({
    ...base,
    occupant: { ...occ, ...o },
  });
  it.each<[string, Diagnosis, string]>([
    ['pid 1', withOccupant({ pid: 1, comm: 'init' }), 'never-kill'],
    ['sshd', withOccupant({ comm: 'sshd', exe: '/usr/sbin/sshd' }), 'never-kill'],
    [
      'keepalived (by exe)',
      withOccupant({ comm: 'kad', exe: '/usr/sbin/keepalived' }),
      'never-kill',
    ],
    [
      'docker-proxy',
      withOccupant({ comm: 'docker-proxy', exe: '/usr/bin/docker-proxy' }),
      'never-kill',
    ],
    [
      'containerd-shim',
      withOccupant({ comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2' }),
      'never-kill',
    ],
    ['kubelet', withOccupant({ comm: 'kubelet', exe: '/usr/bin/kubelet' }), 'never-kill'],
    ['in a container', withOccupant({ container: 'docker:3f1c' }), 'never-kill'],
    [
      'the managed LB master',
      {
        ...withOccupant({ pid: 812 }),
        lb: { kind: 'nginx', running: true, pid: 812, listening: true },
      },
      'never-kill',
    ],
    ['suspicious-occupant', diag('suspicious-occupant', 'lb-01', null), 'never-kill'],
    ['container-port', diag('container-port', 'lb-01', null), 'never-kill'],
    [
      // systemd seen from another PID namespace (a user manager, a container's init): not pid 1
      'socket-activation, systemd not pid 1',
      (() => {
        const d = diag('socket-activation', 'lb-01', null);
        return { ...d, occupant: { ...d.occupant!, pid: 25 } };
      })(),
      'never-kill',
    ],
    [
      'protected-occupant, even with a fully identified occupant',
      { ...withOccupant({ comm: 'node_exporter' }), verdict: 'protected-occupant' as const },
      'never-kill',
    ],
    ['unknown start ticks', withOccupant({ startTicks: null }), 'target-unidentified'],
    ['unknown exe', withOccupant({ exe: null }), 'target-unidentified'],
    ['unknown uid', withOccupant({ uid: null }), 'target-unidentified'],
    ['no occupant', { ...base, occupant: null }, 'target-unidentified'],
  ])('%s', (_name, d, code) => {
    const direct = killRefusal(d);
    expect(direct.ok ? 'ok' : direct.code).toBe(code);
    // Through the engine too, even when the diagnosis (wrongly) offered a kill.
    const offered = {
      ...d,
      actions: [{ kind: 'kill-occupant' as const, risk: 'medium' as const, title: 'x' }],
    };
    const result = planRemediation(input('kill-occupant', offered, null));
    expect(result.ok ? 'ok' : result.code).toBe(code);
  });
});

describe('refusals before any planning', () => {
  it.each<[string, () => PlanResult, string]>([
    [
      'an action the diagnosis did not offer',
      () => planRemediation(input('reload-lb', diag('foreign-listener', 'lb-01', null), null)),
      'action-not-offered',
    ],
    [
      'kill on a suspicious occupant (only escalation is offered)',
      () =>
        planRemediation(input('kill-occupant', diag('suspicious-occupant', 'lb-01', null), null)),
      'action-not-offered',
    ],
    [
      'an unreachable host',
      () =>
        planRemediation(
          input(
            'kill-occupant',
            diag('foreign-listener', 'lb-01', null, { verdict: 'unreachable' }),
            null,
          ),
        ),
      'host-unreachable',
    ],
    [
      'a diagnosis of another host',
      () => {
        const i = input('kill-occupant', diag('foreign-listener', 'lb-01', null), null);
        return planRemediation({
          ...i,
          target: { ...i.target, diagnosis: diag('foreign-listener', 'lb-09', null) },
        });
      },
      'input-mismatch',
    ],
    [
      'an LB action on a host without an LB',
      () => {
        const i = input('restart-lb', diag('port-free-lb-down', 'lb-01', null), null);
        return planRemediation({ ...i, target: { ...i.target, lb: null } });
      },
      'no-lb',
    ],
    [
      'a negative termWaitMs',
      () =>
        planRemediation(
          input('kill-occupant', diag('foreign-listener', 'lb-01', null), null, { termWaitMs: -1 }),
        ),
      'bad-parameter',
    ],
  ])('%s', (_name, run, code) => {
    const result = run();
    expect(result.ok ? 'ok' : result.code).toBe(code);
  });
});

describe('LB actions', () => {
  it('reload-lb on a running LB: config test, reload, ss; no VIP handover (a reload drops nothing)', () => {
    const d = diag('lb-not-listening', 'lb-01', MASTER);
    const p = planOf(planRemediation(input('reload-lb', d, [d, diag('healthy', 'lb-02', BACKUP)])));
    expect(kinds(p)).toEqual(['lb-01 config-test', 'lb-01 reload-lb', 'lb-01 verify-listening']);
    expect(p.steps[2]?.verification).toEqual([
      { kind: 'lb-listening', host: 'lb-01', port: 80, withinMs: 10000 },
    ]);
    expect(p.approvalClass).toBe('vip-holder');
  });

  it('restart-lb on a down LB starts it', () => {
    const d = diag('port-free-lb-down', 'lb-01', null);
    const p = planOf(planRemediation(input('restart-lb', d, null)));
    expect(kinds(p)).toEqual(['lb-01 config-test', 'lb-01 start-lb', 'lb-01 verify-listening']);
  });

  it('restart-lb on a running LB restarts it (only because it was asked)', () => {
    const d = diag('port-free-lb-down', 'lb-01', null, {
      lb: { kind: 'nginx', running: true, pid: 812, listening: false },
    });
    const p = planOf(planRemediation(input('restart-lb', d, null)));
    expect(kinds(p)).toEqual(['lb-01 config-test', 'lb-01 restart-lb', 'lb-01 verify-listening']);
    expect(p.steps[1]?.command).toBe('systemctl restart nginx');
  });
});
