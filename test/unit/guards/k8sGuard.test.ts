import {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../../src/cli/runCli';
import { k8sGuard, nodeNameOf } from '../../../src/guards/k8sGuard';
import { captureIo } from '../../support/captureIo';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NODES = [
  { host: 'lb-01', node: 'lb-01', ports: [80, 443] },
  { host: 'lb-02', node: 'node-7.example.net', ports: [443, 80, 8443] },
];

describe('k8sGuard', () => {
  it('passes the Kubernetes schema of ValidatingAdmissionPolicy and its binding (v1)', () => {
    const [policy, binding] = k8sGuard(NODES);
    new ValidatingAdmissionPolicy(policy).validate();
    new ValidatingAdmissionPolicyBinding(binding).validate();
    // the schema check bites: a scalar where the API wants a list is refused
    const broken = { ...binding, spec: { policyName: 'x', validationActions: 'Deny' } };
    expect(() => new ValidatingAdmissionPolicyBinding(broken as never).validate()).toThrow();
    expect(binding).toMatchObject({
      spec: { policyName: 'portbot-lb-port-guard', validationActions: ['Deny'] },
    });
    // kube-proxy and CNI agents (hostNetwork on every node) live there
    expect(JSON.stringify(binding)).toContain(
      '{"key":"kubernetes.io/metadata.name","operator":"NotIn","values":["kube-system"]}',
    );
  });

  it('holds the protected ports per node as a CEL map and checks hostNetwork and hostPorts', () => {
    const [policy] = k8sGuard(NODES);
    const spec = (policy as { spec: { variables: { name: string; expression: string }[] } }).spec;
    const vars = Object.fromEntries(spec.variables.map((v) => [v.name, v.expression]));
    expect(vars['lbPorts']).toBe("{'lb-01': [80, 443], 'node-7.example.net': [80, 443, 8443]}");
    // the pod's own node constraints decide which LB nodes it may land on
    expect(vars['lbNodes']).toContain('object.spec.nodeName == n');
    expect(vars['lbNodes']).toContain("t.matchFields.all(f, f.key != 'metadata.name'");
    expect(vars['lbNodes']).toContain("e.key != 'kubernetes.io/hostname'");
    const text = JSON.stringify(policy);
    expect(text).toContain('object.spec.hostNetwork');
    expect(text).toContain('p.hostPort in variables.lbPorts[n]');
    expect(balanced(vars['lbNodes'] ?? '')).toBe(true);
  });

  it('refuses an empty selection and a node name that is not a DNS subdomain', () => {
    expect(() => k8sGuard([])).toThrow(/nothing to protect/);
    expect(() => nodeNameOf({ name: 'LB_01', labels: {} })).toThrow(/not a Kubernetes node name/);
    expect(nodeNameOf({ name: 'LB_01', labels: { 'kubernetes.io/hostname': 'lb-01' } })).toBe(
      'lb-01',
    );
    expect(() =>
      nodeNameOf({ name: 'lb-01', labels: { 'kubernetes.io/hostname': "x' || true || '" } }),
    ).toThrow(/not a Kubernetes node name/);
  });
});

describe('portbot guard (offline: the inventory only)', () => {
  function inventory(): string {
    const dir = mkdtempSync(join(tmpdir(), 'portbot-guard-'));
    writeFileSync(join(dir, 'id'), 'not a key');
    writeFileSync(join(dir, 'known_hosts'), '');
    const file = join(dir, 'inventory.yaml');
    writeFileSync(
      file,
      [
        'defaults: { privateKeyPath: ./id, knownHostsPath: ./known_hosts }',
        'hosts:',
        '  - { name: lb-01, address: 10.0.0.11, lb: { kind: nginx, ports: [443, 80, 81] }, haGroup: edge }',
        '  - { name: lb-02, address: 10.0.0.12, lb: { kind: haproxy, ports: [80] }, haGroup: edge }',
        '  - { name: app-01, address: 10.0.0.21 }',
        'haGroups:',
        '  - { name: edge, kind: keepalived, vip: 10.0.0.100, members: [lb-01, lb-02] }',
      ].join('\n'),
    );
    return file;
  }

  async function guard(...args: string[]) {
    const io = captureIo();
    const code = await runCli(['guard', ...args, '--offline', '--inventory', inventory()], io);
    return { code, out: io.out.join('\n'), err: io.err.join('\n') };
  }

  it('sysctl for one host: the drop-in line, ranges compacted, a warning that nothing was merged', async () => {
    const r = await guard('sysctl', 'lb-01');
    expect(r.code).toBe(0);
    expect(r.out).toBe('net.ipv4.ip_local_reserved_ports = 80-81,443');
    expect(r.err).toMatch(/replaces their current reservations/);
  });

  it('sysctl --group: one line per host, each named', async () => {
    const r = await guard('sysctl', '--group', 'edge');
    expect(r.out).toBe(
      [
        '# host: lb-01',
        'net.ipv4.ip_local_reserved_ports = 80-81,443',
        '# host: lb-02',
        'net.ipv4.ip_local_reserved_ports = 80',
      ].join('\n'),
    );
  });

  it('k8s: two YAML documents that pass the schema, for the LB hosts only', async () => {
    const r = await guard('k8s');
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as never);
    expect(docs).toHaveLength(2);
    new ValidatingAdmissionPolicy(docs[0]).validate();
    new ValidatingAdmissionPolicyBinding(docs[1]).validate();
    expect(r.out).toContain("{'lb-01': [80, 81, 443], 'lb-02': [80]}");
    expect(r.out).not.toContain('app-01');
  });

  it('bad use: exit 2 with a specific message', async () => {
    expect((await guard('sysctl')).err).toMatch(/needs <host>, --host, --group or --all/);
    expect((await guard('sysctl', 'app-01')).err).toMatch(/no lb in the inventory for app-01/);
    const r = await guard('firewall');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/expected guard sysctl or guard k8s/);
    expect((await guard('sysctl', 'lb-01', '--all')).code).toBe(2);
  });
});

/** Parentheses and brackets pair up outside string literals (a cheap guard on generated CEL). */
function balanced(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quoted = false;
  for (const ch of expr) {
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0 && !quoted;
}
