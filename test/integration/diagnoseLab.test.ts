import type { Diagnosis } from '../../src/domain/diagnosis';
import { runCli } from '../../src/cli/runCli';
import { startLab, type Lab } from '../lab';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { captureIo } from '../support/captureIo';
import { PORTBOT_BIN } from '../support/portbotProcess';

const run = promisify(execFile);

/**
 * Every verdict of docs/reference/verdicts.md against real sshd, nginx, HAProxy, keepalived, ss and
 * /proc inside the namespaced lab, through the same entry point users run (`portbot diagnose`).
 */
let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

async function diagnose(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(['diagnose', ...args, '--inventory', lab.inventoryPath], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

async function diagnoseJson(host: string, port = 80): Promise<Diagnosis> {
  const r = await diagnose(host, String(port), '--json');
  expect(r.err).toBe('');
  return JSON.parse(r.out) as Diagnosis;
}

const codes = (d: Diagnosis) => d.findings.map((f) => f.code);
const actionKinds = (d: Diagnosis) => d.actions.map((a) => a.kind);

describe('portbot diagnose on the lab', () => {
  it('healthy nginx: the managed master holds the port (human report too)', async () => {
    await lab.healthy('lb-01');
    // reset() stops keepalived on the host; bring the pair back so lb-01 is MASTER again
    await lab.keepalived(true);
    const d = await diagnoseJson('lb-01');
    expect(d).toMatchObject({
      verdict: 'healthy',
      lb: { kind: 'nginx', running: true, listening: true },
    });
    expect(d.actions).toEqual([]);
    expect(d.ha).toMatchObject({ group: 'edge', role: 'MASTER', holdsVip: true });
    const human = await diagnose('lb-01', '80');
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^lb-01:80 {2}HEALTHY/);
    expect(human.out).toContain('Evidence');
  });

  it('the compiled binary prints the JSON and exits 0 (a CLI must not exit before its output)', async () => {
    const r = await run(process.execPath, [
      PORTBOT_BIN,
      'diagnose',
      'lb-02',
      '80',
      '--json',
      '--inventory',
      lab.inventoryPath,
    ]);
    expect((JSON.parse(r.stdout) as Diagnosis).host).toBe('lb-02');
  });

  it('rogue python listener blocks nginx: foreign-listener with the holder', async () => {
    const pid = await lab.rogueListener('lb-01');
    const d = await diagnoseJson('lb-01');
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant).toMatchObject({ pid, comm: 'python3', user: 'root', socketState: 'LISTEN' });
    expect(d.occupant?.cmdline).toContain('http.server 80');
    expect(d.occupant?.startTicks).toEqual(expect.any(Number));
    expect(d.lb).toMatchObject({ running: false, listening: false });
    expect(codes(d)).toContain('bind-error-in-log');
    expect(actionKinds(d)).toEqual(['kill-occupant', 'restart-lb']);
    const human = await diagnose('lb-01', '80');
    expect(human.out).toContain(`python3 (pid ${pid}`);
    expect(human.out).toContain('FOREIGN-LISTENER');
  });

  it('rogue listener blocks HAProxy', async () => {
    const pid = await lab.rogueListener('lb-03');
    const d = await diagnoseJson('lb-03');
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant).toMatchObject({ pid, comm: 'python3' });
    expect(d.findings.find((f) => f.code === 'bind-error-in-log')?.detail).toContain(
      'Address already in use',
    );
  });

  it('orphaned second nginx master: stale-lb-instance', async () => {
    const pid = await lab.orphanedLbMaster('lb-01');
    const d = await diagnoseJson('lb-01');
    expect(d.verdict).toBe('stale-lb-instance');
    expect(d.occupant).toMatchObject({ pid, comm: 'nginx' });
    expect(actionKinds(d)).toEqual(['kill-occupant', 'restart-lb']);
  });

  it('outbound connection on the LB port: ephemeral-port-collision, then fixed by reserving it', async () => {
    const port = 40000;
    await lab.ephemeralCollision('lb-03', port);
    const d = await diagnoseJson('lb-03', port);
    expect(d.verdict).toBe('ephemeral-port-collision');
    expect(d.occupant?.socketState).toBe('ESTAB');
    expect(actionKinds(d)).toContain('reserve-port');
    expect(d.actions.find((a) => a.kind === 'reserve-port')?.detail).toContain(
      `net.ipv4.ip_local_reserved_ports=${port}`,
    );
    await lab.fixEphemeralCollision('lb-03', port);
    expect((await diagnoseJson('lb-03', port)).verdict).toBe('healthy');
  });

  it('a connection bound to port 80 (outside the ephemeral range): connection-holds-port, not "port free"', async () => {
    await lab.ephemeralCollision('lb-02', 80);
    const d = await diagnoseJson('lb-02');
    expect(d.verdict).toBe('connection-holds-port');
    expect(d.occupant).toMatchObject({ comm: 'python3', socketState: 'ESTAB' });
    expect(actionKinds(d)).toEqual(['kill-occupant', 'restart-lb']);
  });

  it('nginx as a non-root user on port 80: permission-denied', async () => {
    await lab.nonRootLb('lb-01');
    const d = await diagnoseJson('lb-01');
    expect(d.verdict).toBe('permission-denied');
    expect(d.occupant).toBeNull();
    expect(d.summary).toMatch(/permission|EACCES|13/i);
  });

  it('VIP the node does not hold: address-not-available on the BACKUP', async () => {
    await lab.vipNotHeld('lb-02');
    const d = await diagnoseJson('lb-02');
    expect(d.verdict).toBe('address-not-available');
    expect(d.ha).toMatchObject({
      group: 'edge',
      vip: '10.77.0.100',
      holdsVip: false,
      role: 'BACKUP',
    });
  });

  it('duplicate listen in nginx and HAProxy config: config-conflict', async () => {
    await lab.duplicateListen('lb-01');
    expect((await diagnoseJson('lb-01')).verdict).toBe('config-conflict');
    await lab.duplicateListen('lb-03');
    expect((await diagnoseJson('lb-03')).verdict).toBe('config-conflict');
  });

  it('only TIME-WAIT sockets: time-wait-only', async () => {
    await lab.timeWaitOnly('lb-02');
    const d = await diagnoseJson('lb-02');
    expect(d.verdict).toBe('time-wait-only');
    expect(d.occupant).toBeNull();
  });

  it('executable deleted while running: suspicious-occupant, no kill button', async () => {
    const pid = await lab.deletedExecutable('lb-01');
    const d = await diagnoseJson('lb-01');
    expect(d.verdict).toBe('suspicious-occupant');
    expect(d.occupant?.pid).toBe(pid);
    expect(actionKinds(d)).toEqual(['escalate-security']);
  });

  it('LB runs but not on the asked port: lb-not-listening', async () => {
    await lab.healthy('lb-02');
    const d = await diagnoseJson('lb-02', 8081);
    expect(d.verdict).toBe('lb-not-listening');
    expect(actionKinds(d)).toEqual(['reload-lb']);
  });

  it('LB down, port free: port-free-lb-down', async () => {
    await lab.lbDownPortFree('lb-02');
    const d = await diagnoseJson('lb-02');
    expect(d.verdict).toBe('port-free-lb-down');
    expect(actionKinds(d)).toEqual(['restart-lb']);
  });

  it('non-root diagnostic user with sudo -n sees the owner', async () => {
    const pid = await lab.rogueListener('lb-04');
    const d = await diagnoseJson('lb-04');
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant).toMatchObject({ pid, comm: 'python3' });
  });

  it('--group and --all diagnose every member in parallel and return one JSON array', async () => {
    await lab.healthy('lb-01');
    await lab.lbDownPortFree('lb-02');
    const group = await diagnose('--group', 'edge', '80', '--json');
    expect(group.code).toBe(0);
    const ds = JSON.parse(group.out) as Diagnosis[];
    expect(ds.map((d) => [d.host, d.verdict])).toEqual([
      ['lb-01', 'healthy'],
      ['lb-02', 'port-free-lb-down'],
    ]);
    const all = JSON.parse(
      (await diagnose('--all', '80', '--concurrency', '4', '--json')).out,
    ) as Diagnosis[];
    expect(all.map((d) => d.host)).toEqual(['lb-01', 'lb-02', 'lb-03', 'lb-04']);
  });

  it('sshd down: unreachable (ssh-refused), exit 3, one line per host', async () => {
    await lab.sshdDown('lb-02');
    const r = await diagnose('lb-02', '80');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^lb-02:80 {2}UNREACHABLE/);
    const d = await diagnoseJson('lb-02').catch(() => null);
    expect(d?.verdict).toBe('unreachable');
    expect(d && codes(d)).toEqual(['ssh-refused']);
    await lab.restore('lb-02');
    expect((await diagnoseJson('lb-02')).verdict).not.toBe('unreachable');
  });

  it('changed host key: refused with host-key-mismatch, nothing run', async () => {
    await lab.changeHostKey('lb-03');
    const r = await diagnose('lb-03', '80', '--json');
    expect(r.code).toBe(3);
    const d = JSON.parse(r.out) as Diagnosis;
    expect(d.verdict).toBe('unreachable');
    expect(codes(d)).toEqual(['host-key-mismatch']);
    expect(d.findings[0]?.detail).toMatch(/SHA256:/);
    // the only evidence is the refused handshake: no command ran on the host
    expect(d.evidence.map((e) => e.probe)).toEqual(['ssh']);
  });
});
