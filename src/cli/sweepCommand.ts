import { loadInventory } from '../config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../config/loadRunbooks';
import { hostsInScope } from '../domain/findHost';
import { formatSweepText } from '../render/formatSweepText';
import { SshPool } from '../ssh/SshPool';
import { notFullySwept } from '../sweep/SweepRisk';
import { sweepHosts } from '../usecases/sweepHosts';
import type { CliIo } from './CliIo';
import { parseSweepArgs } from './parseSweepArgs';

/**
 * `portbot sweep`: latent port-conflict risks per host. Exit 0 no risk; 1 at least one risk;
 * 2 usage or inventory error (runCli); 3 a host could not be swept, or its LB config not read in full (wins over 1).
 */
export async function sweepCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseSweepArgs(argv);
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventoryPath = args.inventory ?? io.env.PORTBOT_INVENTORY ?? 'inventory.yaml';
  const inventory = loadInventory(inventoryPath, new Set(runbooks.keys()));
  const hosts = hostsInScope(inventory, args.scope);
  const pool = new SshPool({ maxConcurrency: args.concurrency });
  let sweeps;
  try {
    sweeps = await sweepHosts({ runner: pool, runbooks }, inventory, hosts, args.concurrency);
  } finally {
    await pool.close();
  }
  io.stdout(args.json ? JSON.stringify(sweeps, null, 2) : formatSweepText(sweeps));
  if (sweeps.some(notFullySwept)) return 3;
  return sweeps.some((s) => s.risks.length > 0) ? 1 : 0;
}
