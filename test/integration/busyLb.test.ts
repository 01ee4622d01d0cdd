import { loadInventory } from '../../src/config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../../src/config/loadRunbooks';
import type { CommandRunner, ExecOptions, ExecResult } from '../../src/domain/CommandRunner';
import type { Diagnosis } from '../../src/domain/diagnosis';
import { findHost } from '../../src/domain/findHost';
import type { HostConfig } from '../../src/domain/HostConfig';
import { SshPool } from '../../src/ssh/SshPool';
import { diagnoseHost } from '../../src/usecases/diagnoseHost';
import { startLab, type Lab } from '../lab';

/**
 * A busy LB (issue 12): nginx holds :80 with many accepted connections from clients in another
 * namespace. The probe lists listeners first; when the managed LB holds them the connections are
 * never listed, so the verdict stays `healthy` and the probe output does not grow with them.
 * CI runs 2,000 connections; the bench runs 20,000 (bench/README.md "Busy LB").
 */
const CONNECTIONS = 2000;
const HOST = 'busy-01';
let lab: Lab;
let pool: SshPool;

/** Keeps every probe output, so the test can bound its size and see which sections ran. */
class KeepingRunner implements CommandRunner {
  readonly outputs: string[] = [];
  constructor(private readonly inner: CommandRunner) {}
  async exec(host: HostConfig, command: string, opts?: ExecOptions): Promise<ExecResult> {
    const r = await this.inner.exec(host, command, opts);
    this.outputs.push(r.stdout);
    return r;
  }
}

beforeAll(async () => {
  lab = await startLab({
    hosts: [{ name: HOST, address: '10.77.0.31', lb: 'nginx' }],
    keepalived: false,
  });
  pool = new SshPool({ maxConcurrency: 1 });
}, 180_000);

afterAll(async () => {
  await pool?.close();
  await lab?.stop();
}, 60_000);

async function diagnoseOnce(): Promise<{ d: Diagnosis; bytes: number; sections: string[] }> {
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventory = loadInventory(lab.inventoryPath, new Set(runbooks.keys()));
  const runner = new KeepingRunner(pool);
  const d = await diagnoseHost(
    { runner, runbooks, now: () => performance.now() },
    inventory,
    findHost(inventory, HOST),
    80,
  );
  const out = runner.outputs[0] ?? '';
  // Section openings: `@@PB-<nonce> <name>` (catalogue sectionMarker).
  const sections = [...out.matchAll(/^@@PB-[A-Za-z0-9]+ ([A-Za-z0-9._-]+)$/gm)].map(
    (m) => m[1] ?? '',
  );
  return { d, bytes: Buffer.byteLength(out), sections };
}

describe(`busy LB: nginx with ${CONNECTIONS} accepted connections`, () => {
  it('healthy, listeners only, output the size of the idle host', async () => {
    await lab.busyLb(HOST, 0);
    const idle = await diagnoseOnce();
    expect(idle.d.verdict).toBe('healthy');

    await lab.busyLb(HOST, CONNECTIONS);
    const established = await lab.execOk(HOST, [
      'sh',
      '-c',
      "ss -Htn state established '( sport = :80 )' | wc -l",
    ]);
    expect(Number(established.trim())).toBeGreaterThanOrEqual(CONNECTIONS);

    const busy = await diagnoseOnce();
    expect(busy.d).toMatchObject({
      verdict: 'healthy',
      lb: { kind: 'nginx', running: true, listening: true },
    });
    expect(busy.d.occupant).toMatchObject({ comm: 'nginx', pid: busy.d.lb?.pid });
    // The managed master's fd table answered; the connection listing never ran.
    expect(busy.sections).toEqual(expect.arrayContaining(['ss-listen', 'listen-owners']));
    expect(busy.sections).not.toContain('ss');
    // 2,000 ss lines alone would be ~200 KB: the output stays within a few KB of the idle host's.
    expect(busy.bytes).toBeGreaterThan(0);
    expect(busy.bytes).toBeLessThan(idle.bytes + 4096);
  });

  it('the same host with the LB stopped lists the connections again (no listener explains them)', async () => {
    await lab.busyLb(HOST, 50);
    await lab.execOk(HOST, ['/usr/sbin/nginx', '-s', 'stop']);
    await lab.execOk(HOST, ['sh', '-c', 'while pgrep -x nginx >/dev/null; do sleep 0.05; done']);
    const { d, sections } = await diagnoseOnce();
    expect(sections).toContain('ss');
    expect(d.verdict).not.toBe('healthy');
  });
});
