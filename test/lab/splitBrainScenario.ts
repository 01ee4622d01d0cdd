import type { Lab } from './Lab';
import { expectedMaster, keepalivedSwitch, vipHolders } from './keepalivedControl';
import { waitFor } from './waitFor';

/**
 * keepalived runs on the group with the expected MASTER holding the VIP; then the VIP is added
 * by hand on `backup` as well (what a lost VRRP advert or a frozen keepalived leads to): both
 * members hold it. Returns the members holding it, MASTER first.
 */
export async function splitBrainVip(lab: Lab, backup: string, group = 'edge'): Promise<string[]> {
  const g = lab.groups.find((x) => x.name === group);
  if (!g) throw new Error(`no lab haGroup ${group}`);
  await keepalivedSwitch(lab, true, group);
  const master = expectedMaster(lab, group);
  if (master === backup) throw new Error(`${backup} is the MASTER of ${group}`);
  await lab.execOk(backup, ['ip', 'addr', 'add', `${g.vip}/32`, 'dev', 'eth0']);
  return waitFor(
    `VIP of ${group} on ${master} and ${backup}`,
    async () => {
      const holders = await vipHolders(lab, group);
      return holders.length === 2 ? [master, backup] : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

/** Removes the hand-added VIP from `backup` again. */
export async function healSplitBrain(lab: Lab, backup: string, group = 'edge'): Promise<void> {
  const g = lab.groups.find((x) => x.name === group);
  if (!g) throw new Error(`no lab haGroup ${group}`);
  await lab.execOk(backup, ['ip', 'addr', 'del', `${g.vip}/32`, 'dev', 'eth0']);
  await waitFor(
    `VIP of ${group} on one member`,
    async () => (await vipHolders(lab, group)).length === 1,
  );
}
