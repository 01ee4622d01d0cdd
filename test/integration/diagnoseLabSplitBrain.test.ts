import { runCli } from '../../src/cli/runCli';
import type { Diagnosis } from '../../src/domain/diagnosis';
import { startLab, type Lab } from '../lab';
import { healSplitBrain, splitBrainVip } from '../lab/splitBrainScenario';
import { captureIo } from '../support/captureIo';

/**
 * vip-split-brain on the lab's keepalived pair: the VIP on both members. A diagnosis of one
 * member learns about the other (a VIP-only probe of the peer); `--group` sees both at once.
 */
let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

async function diagnose(...args: string[]): Promise<unknown> {
  const io = captureIo();
  const code = await runCli(['diagnose', ...args, '--json', '--inventory', lab.inventoryPath], io);
  expect(io.err.join('\n')).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out.join('\n'));
}

const splitBrain = (d: Diagnosis) => d.findings.find((f) => f.code === 'vip-split-brain');

describe('vip-split-brain on the lab', () => {
  it('VIP added by hand on the BACKUP: each member, diagnosed alone or as a group, says split brain', async () => {
    await lab.healthy('lb-01');
    await lab.healthy('lb-02');
    const holders = await splitBrainVip(lab, 'lb-02');
    expect(holders).toEqual(['lb-01', 'lb-02']);

    const alone = (await diagnose('lb-02', '80')) as Diagnosis;
    expect(alone.verdict).toBe('healthy');
    expect(alone.ha).toMatchObject({ group: 'edge', holdsVip: true, role: 'MASTER' });
    expect(splitBrain(alone)?.detail).toMatch(
      /^VIP 10\.77\.0\.100 of group edge is on lb-01 and lb-02 at once \(split brain\)/,
    );
    // the evidence for this member's half: its own VIP line
    expect(alone.findings.find((f) => f.code === 'vrrp-role')?.detail).toContain('holds VIP');

    const group = (await diagnose('--group', 'edge', '80')) as Diagnosis[];
    expect(group.map((d) => [d.host, d.verdict, splitBrain(d) !== undefined])).toEqual([
      ['lb-01', 'healthy', true],
      ['lb-02', 'healthy', true],
    ]);

    await healSplitBrain(lab, 'lb-02');
    const healed = (await diagnose('lb-02', '80')) as Diagnosis;
    expect(splitBrain(healed)).toBeUndefined();
    expect(healed.ha).toMatchObject({ holdsVip: false, role: 'BACKUP' });
  });

  it('a host outside any HA group gets no peer probe and no finding', async () => {
    await lab.healthy('lb-03');
    const d = (await diagnose('lb-03', '80')) as Diagnosis;
    expect(d.ha).toBeNull();
    expect(splitBrain(d)).toBeUndefined();
  });
});
