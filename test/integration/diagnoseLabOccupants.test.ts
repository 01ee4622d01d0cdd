import { runCli } from '../../src/cli/runCli';
import type { Diagnosis } from '../../src/domain/diagnosis';
import { startLab, type Lab } from '../lab';
import { protectedAgent, selfConnect, transientBinder } from '../lab/occupantScenarios';
import { captureIo } from '../support/captureIo';

/**
 * Issue 11's occupant verdicts on the lab (self-connect, protected-occupant,
 * transient-occupant), through
 * `portbot diagnose --json`, each with the evidence lines it rests on.
 */
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

async function diagnoseJson(host: string, port: number, ...extra: string[]): Promise<Diagnosis> {
  const io = captureIo();
  const code = await runCli(
    ['diagnose', host, String(port), '--json', '--inventory', lab.inventoryPath, ...extra],
    io,
  );
  expect(io.err.join('\n')).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out.join('\n')) as Diagnosis;
}

const evidenceText = (d: Diagnosis) => d.evidence.map((e) => e.output).join('\n');
const actionKinds = (d: Diagnosis) => d.actions.map((a) => a.kind);

describe('issue 11 occupants on the lab', () => {
  it('a client connected to its own ephemeral port: self-connect, not an ephemeral collision', async () => {
    const port = 40002;
    const pid = await selfConnect(lab, 'lb-03', port);
    const d = await diagnoseJson('lb-03', port);
    expect(d.verdict).toBe('self-connect');
    expect(d.occupant).toMatchObject({ pid, comm: 'python3', socketState: 'ESTAB' });
    expect(d.summary).toContain(`127.0.0.1:${port} is both its local and its remote address`);
    expect(evidenceText(d)).toMatch(
      new RegExp(
        `ESTAB.*127\\.0\\.0\\.1:${port}\\s+127\\.0\\.0\\.1:${port}\\s+users:\\(\\("python3",pid=${pid},`,
      ),
    );
    expect(evidenceText(d)).toContain('ip_local_port_range');
    expect(actionKinds(d)).toEqual(['kill-occupant', 'reserve-port', 'restart-lb']);
    expect(d.findings.map((f) => f.code)).toContain('bind-error-in-log');
  });

  it('node_exporter started with --web.listen-address=:443 holds 443: protected-occupant, escalate, no kill', async () => {
    const pid = await protectedAgent(lab, 'lb-01', 443);
    const d = await diagnoseJson('lb-01', 443);
    expect(d.verdict).toBe('protected-occupant');
    expect(d.occupant).toMatchObject({ pid, comm: 'node_exporter', socketState: 'LISTEN' });
    expect(d.summary).toContain('the protected agent node_exporter (owned by monitoring)');
    expect(d.summary).toContain('--web.listen-address=:443');
    expect(actionKinds(d)).toEqual(['escalate-owner']);
    expect(d.actions[0]?.title).toContain('Escalate to monitoring');
    expect(d.actions[0]?.detail).toContain('change --web.listen-address, now :443');
    expect(d.findings.find((f) => f.code === 'protected-agent')?.detail).toBe(
      `node_exporter (pid ${pid}) was started with --web.listen-address=:443`,
    );
    expect(evidenceText(d)).toMatch(new RegExp(`LISTEN.*:443 .*"node_exporter",pid=${pid},`));
    expect(evidenceText(d)).toContain('--web.listen-address=:443');
  });

  it('a binder that takes the port for 200 ms every 6 s: port-free-lb-down in a snapshot, transient-occupant when sampled', async () => {
    const port = 8080;
    const pid = await transientBinder(lab, 'lb-03', port);
    const snapshot = await diagnoseJson('lb-03', port);
    expect(snapshot.verdict).toBe('port-free-lb-down');
    expect(snapshot.evidence.some((e) => e.probe === 'sample')).toBe(false);

    const d = await diagnoseJson('lb-03', port, '--sample', '8s');
    expect(d.verdict).toBe('transient-occupant');
    expect(d.occupant).toMatchObject({ pid, comm: 'python3', socketState: 'LISTEN' });
    // 8 s hold one or two holds; a loaded host samples less often than every 100 ms
    const times = /listened on it (once|(\d+) times) in (\d+\.\d) s of sampling/.exec(d.summary);
    expect(times).not.toBeNull();
    expect(Number(times?.[3])).toBeGreaterThanOrEqual(8);
    expect(d.summary).toMatch(/at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    const sample = d.evidence.find((e) => e.probe === 'sample');
    expect(sample?.command).toBe(
      `every 100 ms for 8 s: ss -H -tuanp '( sport = :${port} )' (TCP sockets but TIME-WAIT, printed when they change)`,
    );
    expect(sample?.output).toMatch(
      new RegExp(`LISTEN .*0\\.0\\.0\\.0:${port} .*"python3",pid=${pid},`),
    );
    // the LB log's bind error, with its line, beside the samples
    expect(evidenceText(d)).toMatch(
      /cannot bind socket \(Address already in use\) for \[0\.0\.0\.0:8080\]/,
    );
    expect(actionKinds(d)).toEqual(['advice', 'restart-lb']);
  });

  it('sampling as the non-root diagnostic user: sudo -n ss (the sudoers rule) still shows the owner', async () => {
    const pid = await transientBinder(lab, 'lb-04', 8080);
    const d = await diagnoseJson('lb-04', 8080, '--sample', '6s');
    expect(d.verdict).toBe('transient-occupant');
    expect(d.occupant).toMatchObject({ pid, comm: 'python3' });
    expect(d.evidence.find((e) => e.probe === 'sample')?.command).toBe(
      "every 100 ms for 6 s: sudo -n ss -H -tuanp '( sport = :8080 )' (TCP sockets but TIME-WAIT, printed when they change)",
    );
  });
});
