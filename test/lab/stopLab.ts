import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { teardownNetwork } from './network';
import { removeSystemdLeftovers } from './systemdHost';

export const OPT_DIR = '/opt/portbot-lab';

/** Tears down whatever lab runs (or was left behind) and removes its generated files. */
export async function stopLab(dir: string): Promise<void> {
  await teardownNetwork(dir);
  removeSystemdLeftovers(null);
  rmSync(OPT_DIR, { recursive: true, force: true });
  if (existsSync(join(dir, '.portbot-lab'))) {
    for (const f of [
      'hosts',
      'keys',
      'inventory.yaml',
      'inventory-systemd.yaml',
      'inventory-far.yaml',
      'lab.json',
      'sudoers.check',
      'peer.log',
      '.portbot-lab',
    ]) {
      rmSync(join(dir, f), { recursive: true, force: true });
    }
  }
}
