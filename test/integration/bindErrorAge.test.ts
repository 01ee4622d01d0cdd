import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/runCli';
import type { Diagnosis } from '../../src/domain/diagnosis';
import { startLab, type Lab } from '../lab';
import { nginxSiteForPort } from '../lab/lbConfigs';
import { waitFor } from '../lab/waitFor';
import { captureIo } from '../support/captureIo';

/**
 * Issue 11 item 4 on the lab: a bind error in the LB log counts for a verdict only when it is
 * newer than the LB's start, or (LB stopped) within the window; older ones become findings.
 */
let lab: Lab;
const HOST = 'lb-02';
const LOG = 'var/log/nginx/error.log';
const EACCES =
  /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[emerg\].*bind\(\) to 0\.0\.0\.0:80 failed \(13: Permission denied\)$/m;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

async function diagnoseJson(port: number): Promise<Diagnosis> {
  const io = captureIo();
  const code = await runCli(
    ['diagnose', HOST, String(port), '--json', '--inventory', lab.inventoryPath],
    io,
  );
  expect(io.err.join('\n')).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out.join('\n')) as Diagnosis;
}

const logPath = () => join(lab.hostDir(HOST), LOG);
const codes = (d: Diagnosis) => d.findings.map((f) => f.code);
const detailOf = (d: Diagnosis, code: string) => d.findings.find((f) => f.code === code)?.detail;

/** The EACCES line nginx wrote, and its time read as if UTC (only differences are used). */
function eaccesLine(): { line: string; at: number } {
  const m = EACCES.exec(readFileSync(logPath(), 'utf8'));
  if (!m) throw new Error('no EACCES line in the nginx log');
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = m.slice(1, 7).map(Number);
  return { line: m[0], at: Date.UTC(y, mo - 1, d, h, mi, s) / 1000 };
}

async function stopNginx(): Promise<void> {
  await lab.execOk(HOST, ['/usr/sbin/nginx', '-s', 'stop']);
  await waitFor(`${HOST}: nginx stopped`, async () => !(await lab.lbRunning(HOST)));
}

describe('bind errors and the time they were logged (lab)', () => {
  it('a fresh errno-13 line with nginx down: permission-denied rests on it', async () => {
    await lab.nonRootLb(HOST);
    const d = await diagnoseJson(80);
    expect(d.verdict).toBe('permission-denied');
    expect(detailOf(d, 'bind-error-in-log')).toContain('(13: Permission denied)');
    expect(codes(d)).not.toContain('old-bind-error-in-log');
  });

  it('fixed, started, stopped, the line now older than the window: the verdict follows the current state', async () => {
    await lab.nonRootLb(HOST);
    await lab.startLbOk(HOST, 80); // the fix: the master runs as root
    expect((await diagnoseJson(80)).verdict).toBe('healthy');
    await stopNginx();
    // Two hours pass for the old line: its real text, its time moved back (default window 60 min).
    const { line, at } = eaccesLine();
    const stamp = (t: number) =>
      new Date(t * 1000).toISOString().replace(/-/g, '/').replace('T', ' ').slice(0, 19);
    const aged = line.replace(stamp(at), stamp(at - 2 * 3600));
    expect(aged).not.toBe(line);
    writeFileSync(logPath(), readFileSync(logPath(), 'utf8').replace(line, aged));

    const d = await diagnoseJson(80);
    expect(d.verdict).toBe('port-free-lb-down');
    expect(d.lb).toMatchObject({ running: false, listening: false });
    expect(codes(d)).not.toContain('bind-error-in-log');
    const old = detailOf(d, 'old-bind-error-in-log');
    expect(old).toContain(aged.trim());
    expect(old).toContain('more than 60 min before the host');
    expect(d.actions.map((a) => a.kind)).toEqual(['restart-lb']);
  });

  it('nginx started (as root, on 8080) after the errno-13 line: port 80 is lb-not-listening, the line a finding', async () => {
    await lab.nonRootLb(HOST);
    const { at } = eaccesLine();
    // The master must start in a later second than the line (log times have 1 s resolution).
    await waitFor(
      'host clock past the logged second',
      async () => {
        const now = Number((await lab.execOk(HOST, ['date', '+%s'])).trim());
        return now > at + 1;
      },
      { timeoutMs: 5000 },
    );
    writeFileSync(
      join(lab.hostDir(HOST), 'etc/nginx/sites-enabled/default'),
      nginxSiteForPort(8080),
    );
    await lab.startLbOk(HOST, 8080);

    const d = await diagnoseJson(80);
    expect(d.verdict).toBe('lb-not-listening');
    expect(d.lb).toMatchObject({ running: true, listening: false });
    expect(detailOf(d, 'old-bind-error-in-log')).toMatch(/before the running nginx started/);
  });
});
