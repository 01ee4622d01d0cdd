import { runCli } from '../../src/cli/runCli';
import type { HostSweep } from '../../src/sweep/SweepRisk';
import { startLab, type Lab } from '../lab';
import { LAB_VIP, netnsOf } from '../lab/labTypes';
import { run } from '../lab/run';
import { captureIo } from '../support/captureIo';

/**
 * Issue 11 item 1 on the lab: `portbot sweep --all` finds each planted latent risk and nothing
 * on clean hosts. LB ports come from the live config: nginx's only through its include of
 * sites-enabled/default (listen 80), HAProxy's from its bind lines.
 */
let lab: Lab;
const HOSTS = ['lb-01', 'lb-02', 'lb-03', 'lb-04'];

beforeAll(async () => {
  lab = await startLab();
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

async function sweep(
  ...args: string[]
): Promise<{ code: number; sweeps: HostSweep[]; err: string }> {
  const io = captureIo();
  const code = await runCli(['sweep', ...args, '--json', '--inventory', lab.inventoryPath], io);
  return { code, sweeps: JSON.parse(io.out.join('\n')) as HostSweep[], err: io.err.join('\n') };
}

const of = (sweeps: HostSweep[], host: string): HostSweep => {
  const s = sweeps.find((x) => x.host === host);
  if (!s) throw new Error(`no sweep of ${host}`);
  return s;
};
const codes = (s: HostSweep) => s.risks.map((r) => `${r.code}:${r.port ?? '-'}`).sort();

async function allHealthy(): Promise<void> {
  for (const h of HOSTS) await lab.healthy(h);
  await lab.keepalived(true);
}

async function vip(host: string, op: 'add' | 'del'): Promise<void> {
  await run(['ip', '-n', netnsOf(host), 'addr', op, `${LAB_VIP}/16`, 'dev', 'eth0']);
}

describe('portbot sweep on the lab', () => {
  it('clean hosts: no risk, exit 0, LB ports read through nginx includes', async () => {
    await allHealthy();
    const r = await sweep('--all');
    expect(r.err).toBe('');
    expect(r.sweeps.map((s) => [s.host, s.lbPorts, s.risks, s.failure])).toEqual(
      HOSTS.map((h) => [h, [80], [], null]),
    );
    expect(r.code).toBe(0);
  });

  it('planted risks are found on their hosts only (exit 1)', async () => {
    await allHealthy();
    // lb-01: the LB port inside the ephemeral range (the Cloudpods precondition)
    await lab.sysctl('lb-01', [
      'net.ipv4.ip_unprivileged_port_start=80',
      'net.ipv4.ip_local_port_range=80 60999',
    ]);
    // lb-03 (HAProxy): two frontends bind :80; lb-04 (sudo user): python3 holds :80
    await lab.duplicateListen('lb-03');
    await lab.rogueListener('lb-04');

    const r = await sweep('--all');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(codes(of(r.sweeps, 'lb-01'))).toEqual(['port-in-ephemeral-range:80']);
    expect(codes(of(r.sweeps, 'lb-02'))).toEqual([]);
    expect(codes(of(r.sweeps, 'lb-03'))).toEqual(['duplicate-listen:80']);
    expect(codes(of(r.sweeps, 'lb-04'))).toEqual(['foreign-listener:80']);

    const eph = of(r.sweeps, 'lb-01').risks[0];
    expect(eph?.severity).toBe('high');
    expect(eph?.detail).toMatch(
      /ip_local_port_range 80-60999 .* of 60920 ephemeral ports in use now/,
    );
    expect(eph?.evidence.map((e) => e.probe)).toEqual(['sysctl', 'ephemeral']);
    const rogue = of(r.sweeps, 'lb-04').risks[0];
    expect(rogue?.detail).toMatch(/^python3 \(pid \d+\) listens on port 80/);
    expect(rogue?.evidence[0]?.output).toMatch(/users:\(\("python3",pid=\d+/);
    expect(of(r.sweeps, 'lb-03').risks[0]?.detail).toContain('0.0.0.0:80 twice');
  }, 120_000);

  it('keepalived: the VIP on both members is split brain, on none is not held', async () => {
    await allHealthy();
    await lab.keepalived(false);
    await vip('lb-01', 'add');
    await vip('lb-02', 'add');
    let r = await sweep('--group', 'edge');
    expect(r.code).toBe(1);
    expect(r.sweeps.map((s) => [s.host, codes(s)])).toEqual([
      ['lb-01', ['vip-split-brain:-']],
      ['lb-02', ['vip-split-brain:-']],
    ]);
    expect(r.sweeps[0]?.risks[0]?.detail).toContain(`${LAB_VIP} of haGroup edge is on 2 members`);

    await vip('lb-01', 'del');
    await vip('lb-02', 'del');
    r = await sweep('--group', 'edge');
    expect(r.code).toBe(1);
    expect(r.sweeps.map((s) => [s.host, codes(s)])).toEqual([
      ['lb-01', ['vip-not-held:-']],
      ['lb-02', ['vip-not-held:-']],
    ]);
  }, 120_000);

  it('a host that cannot be swept: exit 3 wins over risks, the others still reported', async () => {
    await lab.rogueListener('lb-04');
    await lab.sshdDown('lb-03');
    try {
      const r = await sweep('--all');
      expect(r.code).toBe(3);
      expect(of(r.sweeps, 'lb-03').failure?.code).toBe('SSH_REFUSED');
      expect(codes(of(r.sweeps, 'lb-04'))).toEqual(['foreign-listener:80']);
    } finally {
      await lab.restore('lb-03');
    }
  }, 120_000);
});
