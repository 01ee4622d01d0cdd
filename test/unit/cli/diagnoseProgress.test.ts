import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/runCli';
import { captureIo } from '../../support/captureIo';

/**
 * `diagnose --all` on a terminal shows a progress line on stderr, rewritten in place and erased
 * at the end; piped (no stderrTty) or with --json nothing extra is written. The hosts have no
 * key and there is no ssh-agent: each is diagnosed `unreachable` (SSH_AUTH) before any
 * connection is opened, so the test needs no network.
 */
const dir = mkdtempSync(join(tmpdir(), 'portbot-progress-'));
const inventory = join(dir, 'inventory.yaml');
writeFileSync(join(dir, 'known_hosts'), '');
writeFileSync(
  inventory,
  [
    'defaults: { knownHostsPath: ./known_hosts }',
    'hosts:',
    ...['lb-01', 'lb-02', 'lb-03'].map(
      (n) => `  - { name: ${n}, address: 127.0.0.1, port: 1, lb: { kind: nginx } }`,
    ),
    '',
  ].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REWRITE = '\r\x1b[2K';

async function diagnose(tty: boolean, ...args: string[]) {
  const io = captureIo();
  const chunks: string[] = [];
  if (tty) io.stderrTty = (chunk) => chunks.push(chunk);
  const code = await runCli(['diagnose', ...args, '--inventory', inventory], io);
  return { code, out: io.out.join('\n'), err: io.err, chunks };
}

describe('diagnose progress', () => {
  it('on a terminal: a line per finished host, rewritten in place, erased at the end', async () => {
    const r = await diagnose(true, '--all', '80');
    expect(r.code).toBe(3);
    expect(r.chunks[0]).toBe(`${REWRITE}diagnosing port 80: 0/3 hosts done`);
    expect(r.chunks.slice(1, -1)).toEqual([
      `${REWRITE}diagnosing port 80: 1/3 hosts done, 1 unreachable`,
      `${REWRITE}diagnosing port 80: 2/3 hosts done, 2 unreachable`,
      `${REWRITE}diagnosing port 80: 3/3 hosts done, 3 unreachable`,
    ]);
    expect(r.chunks.at(-1)).toBe(REWRITE);
    expect(r.chunks.join('')).not.toContain('\n');
    expect(r.err).toEqual([]);
  });

  it('piped: no progress, the same report', async () => {
    const piped = await diagnose(false, '--all', '80');
    const tty = await diagnose(true, '--all', '80');
    expect(piped.chunks).toEqual([]);
    expect(piped.err).toEqual([]);
    const noTimes = (t: string) => t.replace(/\(\d+ ms\)/g, '(… ms)');
    expect(noTimes(piped.out)).toBe(noTimes(tty.out));
  });

  it('--json on a terminal: nothing but the JSON', async () => {
    const r = await diagnose(true, '--all', '80', '--json');
    expect(r.chunks).toEqual([]);
    expect(r.err).toEqual([]);
    expect((JSON.parse(r.out) as { host: string }[]).map((d) => d.host)).toEqual([
      'lb-01',
      'lb-02',
      'lb-03',
    ]);
  });

  it('one host is no fan-out: no progress line', async () => {
    const r = await diagnose(true, 'lb-02', '80');
    expect(r.code).toBe(3);
    expect(r.chunks).toEqual([]);
  });

  it('text mode ends with the table: host, verdict, occupant', async () => {
    const r = await diagnose(false, '--all', '80');
    const lines = r.out.split('\n');
    expect(lines.slice(-6)).toEqual([
      '3 hosts: 0 healthy, 3 with a problem',
      '',
      'HOST      VERDICT      OCCUPANT',
      'lb-01:80  unreachable  -',
      'lb-02:80  unreachable  -',
      'lb-03:80  unreachable  -',
    ]);
    // the per-host reports come first
    expect(r.out.indexOf('UNREACHABLE')).toBeLessThan(r.out.indexOf('HOST      VERDICT'));
  });
});
