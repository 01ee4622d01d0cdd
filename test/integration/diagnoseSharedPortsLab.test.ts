import type { Diagnosis } from '../../src/domain/diagnosis';
import { runCli } from '../../src/cli/runCli';
import { startLab, type Lab } from '../lab';
import { SOCKET_SERVICE, SOCKET_UNIT } from '../lab/systemdHost';
import { captureIo } from '../support/captureIo';

/**
 * The verdicts where the port is shared or handed over (socket-activation, lb-binary-upgrade,
 * lb-reload-generations, reuseport-split) against a real systemd, nginx, HAProxy and ss in the
 * lab, through `portbot diagnose`, with the evidence lines each rests on.
 */
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

async function diagnoseJson(
  host: string,
  port = 80,
  inventory = lab.inventoryPath,
): Promise<Diagnosis> {
  const io = captureIo();
  const code = await runCli(
    ['diagnose', host, String(port), '--json', '--inventory', inventory],
    io,
  );
  expect(io.err.join('\n')).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out.join('\n')) as Diagnosis;
}

const actionKinds = (d: Diagnosis) => d.actions.map((a) => a.kind);
const evidenceOf = (d: Diagnosis, probe: string) =>
  d.evidence.find((e) => e.probe === probe)?.output ?? '';

describe('shared and handed-over ports on the lab', () => {
  it('a systemd .socket unit on :80: socket-activation, the unit named, never a kill', async () => {
    const pid = await lab.socketActivation('lb-02');
    // Probed through the sshd that systemd runs: systemd is pid 1 there, and systemctl answers.
    const d = await diagnoseJson('lb-02', 80, lab.systemdInventory('lb-02'));
    expect(d.verdict).toBe('socket-activation');
    expect(d.occupant).toMatchObject({ pid: 1, comm: 'systemd', exe: '/usr/lib/systemd/systemd' });
    expect(d.summary).toContain(`${SOCKET_UNIT} (activates ${SOCKET_SERVICE})`);
    expect(d.summary).toContain('passed on to python3');
    expect(evidenceOf(d, 'ss')).toContain('("systemd",pid=1,');
    expect(evidenceOf(d, 'activation')).toMatch(
      new RegExp(`^\\[::\\]:80 +Stream +${SOCKET_UNIT} +${SOCKET_SERVICE}$`, 'm'),
    );
    expect(actionKinds(d)).toEqual(['advice', 'restart-lb']);
    expect(d.actions[0]?.detail).toContain(`systemctl disable --now ${SOCKET_UNIT}`);
    expect(d.findings.map((f) => f.code)).toContain('bind-error-in-log');

    // From the lab host's own PID namespace systemd is an ordinary pid, and its bus is out of
    // reach: still socket-activation (the systemd binary holds the port), the unit to be found.
    const outside = await diagnoseJson('lb-02');
    expect(outside.verdict).toBe('socket-activation');
    expect(outside.occupant).toMatchObject({ pid, comm: 'systemd' });
    expect(outside.findings.map((f) => f.code)).toContain('socket-units-unlisted');
    expect(outside.actions[0]?.detail).toContain('systemctl list-sockets');

    // after the reset, the host no longer looks systemd-run
    await lab.reset('lb-02');
    const reset = await diagnoseJson('lb-02');
    expect(reset.verdict).toBe('port-free-lb-down');
    expect(reset.findings.map((f) => f.code)).toContain('no-systemd');
  });

  it('nginx after USR2: lb-binary-upgrade (not healthy, not stale), finish or roll back', async () => {
    const { old, next } = await lab.nginxBinaryUpgrade('lb-01');
    const d = await diagnoseJson('lb-01');
    expect(d.verdict).toBe('lb-binary-upgrade');
    expect(d.occupant).toMatchObject({ pid: old, comm: 'nginx' });
    expect(d.summary).toContain(`new master (pid ${next})`);
    expect(d.summary).toContain('/run/nginx.pid.oldbin names it');
    expect(evidenceOf(d, 'lb')).toContain(`oldbin=${old}`);
    expect(evidenceOf(d, `cmdline.${next}`)).toContain('nginx: master process');
    expect(actionKinds(d)).toEqual(['advice', 'advice']);
    expect(d.actions[0]?.detail).toContain(`kill -QUIT ${old}`);
    expect(d.actions[1]?.detail).toContain(`kill -HUP ${old}`);
    // finishing the upgrade the advised way leaves the new master healthy
    await lab.execOk('lb-01', ['kill', '-QUIT', String(old)]);
    await waitGone(old);
    const after = await diagnoseJson('lb-01');
    expect(after).toMatchObject({ verdict: 'healthy', lb: { pid: next } });
  });

  it('HAProxy reloaded twice without its pid file: lb-reload-generations, the oldest first', async () => {
    const pids = await lab.haproxyReloadGenerations('lb-03', 2);
    expect(pids).toHaveLength(3);
    const [oldest, middle, managed] = pids as [number, number, number];
    const d = await diagnoseJson('lb-03');
    expect(d.verdict).toBe('lb-reload-generations');
    expect(d.lb).toMatchObject({ pid: managed, listening: true });
    expect(d.occupant).toMatchObject({ pid: oldest, comm: 'haproxy' });
    expect(d.summary).toContain(`(pid ${oldest}, ${middle})`);
    expect(evidenceOf(d, `cmdline.${middle}`)).toContain('-sf');
    for (const pid of pids) expect(evidenceOf(d, 'ss')).toContain(`("haproxy",pid=${pid},`);
    expect(actionKinds(d)).toEqual(['kill-occupant', 'advice']);
    expect(d.actions[0]?.detail).toContain(`kill -USR1 ${oldest} ${middle}`);
  });

  it('a python3 joins nginx reuseport on :80: reuseport-split, and both answer requests', async () => {
    const pid = await lab.reuseportSplit('lb-01');
    const answers = await lab.execOk('lb-01', [
      '/usr/bin/python3',
      '-c',
      'import urllib.request\nfor _ in range(40): print(urllib.request.urlopen("http://10.77.0.11/").read().decode().strip()[:15])',
    ]);
    // the kernel spreads connections over the group: some reach python3, some nginx
    expect(answers).toContain('not the LB here');
    expect(answers.split('\n').some((l) => l !== '' && l !== 'not the LB here')).toBe(true);
    const d = await diagnoseJson('lb-01');
    expect(d.verdict).toBe('reuseport-split');
    expect(d.occupant).toMatchObject({ pid, comm: 'python3', localAddress: '0.0.0.0:80' });
    expect(d.lb).toMatchObject({ running: true, listening: true });
    const ss = evidenceOf(d, 'ss').split('\n');
    expect(ss.filter((l) => l.includes('0.0.0.0:80'))).toHaveLength(2);
    expect(actionKinds(d)).toEqual(['kill-occupant', 'advice']);
  });
});

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await lab.exec('lb-01', ['kill', '-0', String(pid)]);
    if (r.rc !== 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`pid ${pid} still there`);
}
