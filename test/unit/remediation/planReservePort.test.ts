import { formatPlanText } from '../../../src/remediation/formatPlanText';
import { planDigestInput } from '../../../src/remediation/planDigestInput';
import { planRemediation } from '../../../src/remediation/planRemediation';
import type {
  FourTuple,
  PlanResult,
  RemediationPlan,
} from '../../../src/remediation/RemediationPlan';
import { runbook } from '../../support/factories/diagnoseInput';
import { diag, input } from '../../support/factories/planInput';

function planOf(result: PlanResult): RemediationPlan {
  if (!result.ok) throw new Error(`refused: ${result.code}: ${result.reason}`);
  return result.plan;
}

const collision = diag('ephemeral-port-collision', 'lb-01', null);
const conn: FourTuple = {
  localIp: '10.0.0.11',
  localPort: 80,
  peerIp: '10.0.0.12',
  peerPort: 9000,
};
const reserved = [
  { from: 8080, to: 8080 },
  { from: 9000, to: 9010 },
];

function reservePlan(
  o: { close?: boolean; connection?: FourTuple | null; sudo?: boolean } = {},
): PlanResult {
  const i = input(
    'reserve-port',
    collision,
    null,
    { closeConnection: o.close ?? false, sudo: o.sudo ?? false },
    { reservedPorts: reserved, connection: o.connection === undefined ? conn : o.connection },
  );
  return planRemediation({ ...i, target: { ...i.target, lb: runbook('haproxy') } });
}

describe('reserve-port', () => {
  it('keeps every existing reservation, at runtime and in the drop-in, then reloads the running LB', () => {
    const p = planOf(reservePlan());
    expect(p.steps.map((s) => [s.kind, s.command])).toEqual([
      ['config-test', 'haproxy -c -f /etc/haproxy/haproxy.cfg'],
      ['reserve-port', "sysctl -w 'net.ipv4.ip_local_reserved_ports=80,8080,9000-9010'"],
      [
        'persist-reserved-ports',
        "printf '%s\\n' 'net.ipv4.ip_local_reserved_ports = 80,8080,9000-9010' | tee '/etc/sysctl.d/60-portbot-reserved-ports.conf' >/dev/null",
      ],
      ['reload-lb', 'systemctl reload haproxy'],
      ['verify-listening', "ss -H -tuanp '( sport = :80 )'"],
    ]);
    expect(p.steps[1]?.precondition).toEqual([
      { kind: 'reserved-ports-are', host: 'lb-01', ranges: reserved },
    ]);
    expect(p.steps[1]?.verification).toContainEqual({
      kind: 'port-reserved',
      host: 'lb-01',
      port: 80,
    });
  });

  it('puts sudo on the tee, not on a redirect', () => {
    const p = planOf(reservePlan({ sudo: true }));
    expect(p.steps[2]?.command).toBe(
      "printf '%s\\n' 'net.ipv4.ip_local_reserved_ports = 80,8080,9000-9010' | sudo -n tee '/etc/sysctl.d/60-portbot-reserved-ports.conf' >/dev/null",
    );
  });

  it('closes the colliding connection, by its exact 4-tuple, only when approved', () => {
    const p = planOf(reservePlan({ close: true }));
    const close = p.steps.find((s) => s.kind === 'close-connection');
    expect(close?.command).toBe("ss -K -tn '( src 10.0.0.11:80 and dst 10.0.0.12:9000 )'");
    expect(close?.verification).toContainEqual({
      kind: 'connection-gone',
      host: 'lb-01',
      connection: conn,
    });
    expect(p.steps.map((s) => s.kind).indexOf('close-connection')).toBe(3);
  });

  it('brackets IPv6 endpoints', () => {
    const v6 = { localIp: 'fd00::11', localPort: 80, peerIp: 'fd00::12', peerPort: 9000 };
    const p = planOf(reservePlan({ close: true, connection: v6 }));
    expect(p.steps.find((s) => s.kind === 'close-connection')?.command).toBe(
      "ss -K -tn '( src [fd00::11]:80 and dst [fd00::12]:9000 )'",
    );
  });

  it.each<[string, PlanResult, string]>([
    [
      'close approved but no connection known',
      reservePlan({ close: true, connection: null }),
      'input-mismatch',
    ],
    [
      'a connection address that is not an IP',
      reservePlan({ close: true, connection: { ...conn, peerIp: "x'; rm -rf /" } }),
      'bad-parameter',
    ],
    [
      'a port outside 1-65535',
      reservePlan({ close: true, connection: { ...conn, peerPort: 70000 } }),
      'bad-parameter',
    ],
    [
      'unknown existing reservations',
      planRemediation(input('reserve-port', collision, null, {}, { reservedPorts: null })),
      'input-mismatch',
    ],
  ])('refuses %s', (_name, result, code) => {
    expect(result.ok ? 'ok' : result.code).toBe(code);
  });
});

describe('formatPlanText and planDigestInput', () => {
  const p = planOf(reservePlan({ close: true }));

  it('prints every step in order with host, kind, exact command and why', () => {
    const text = formatPlanText(p);
    expect(text.split('\n')[0]).toBe('plan: reserve-port on lb-01 port 80 (default approvals)');
    let at = 0;
    p.steps.forEach((s, i) => {
      const line = `${i + 1}. ${s.host}  ${s.kind}`;
      const found = text.indexOf(line, at);
      expect(found).toBeGreaterThanOrEqual(at);
      expect(text.indexOf(`$ ${s.command}`, found)).toBeGreaterThan(found);
      at = found + line.length;
    });
    expect(text).toContain(`why: ${p.steps[0]?.why ?? ''}`);
  });

  it('is canonical: key order does not matter, any change in a command does', () => {
    // Build the same plan with keys inserted in reverse order.
    const reordered = Object.fromEntries(Object.entries(p).reverse()) as unknown as RemediationPlan;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(p)[0]);
    expect(planDigestInput(reordered)).toBe(planDigestInput(p));
    const changed = {
      ...p,
      steps: p.steps.map((s, i) => (i === 1 ? { ...s, command: `${s.command} ` } : s)),
    };
    expect(planDigestInput(changed)).not.toBe(planDigestInput(p));
    expect(planDigestInput(p)).not.toMatch(/\s"|":\s/);
  });
});
