import { loadInventory } from '../config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../config/loadRunbooks';
import type { Diagnosis } from '../domain/diagnosis';
import { findGroup, findHost } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { formatDiagnosisText } from '../render/formatDiagnosisText';
import { formatFleetText } from '../render/formatFleetText';
import { SshPool } from '../ssh/SshPool';
import { diagnoseMany } from '../usecases/diagnoseMany';
import type { CliIo } from './CliIo';
import { parseDiagnoseArgs, type DiagnoseTarget } from './parseDiagnoseArgs';

/** `portbot diagnose`: exit 0 when every host was diagnosed, 3 when one could not be reached. */
export async function diagnoseCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseDiagnoseArgs(argv);
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventoryPath = args.inventory ?? io.env.PORTBOT_INVENTORY ?? 'inventory.yaml';
  const inventory = loadInventory(inventoryPath, new Set(runbooks.keys()));
  const hosts = selectHosts(inventory, args.target);
  const pool = new SshPool({ maxConcurrency: args.concurrency });
  let results: Diagnosis[];
  try {
    results = await diagnoseMany(
      { runner: pool, runbooks, now: io.now },
      inventory,
      hosts,
      args.port,
      args.concurrency,
      { sampleMs: args.sampleMs },
    );
  } finally {
    await pool.close();
  }
  if (args.json) {
    const single = args.target.kind === 'host' ? results[0] : undefined;
    io.stdout(JSON.stringify(single ?? results, null, 2));
  } else if (args.target.kind === 'host') {
    io.stdout(results.map(formatDiagnosisText).join('\n\n'));
  } else {
    io.stdout(formatFleetText(results));
  }
  return results.some((r) => r.verdict === 'unreachable') ? 3 : 0;
}

function selectHosts(inventory: Inventory, target: DiagnoseTarget): HostConfig[] {
  if (target.kind === 'host') return [findHost(inventory, target.host)];
  if (target.kind === 'all') return inventory.hosts;
  const group = findGroup(inventory, target.group);
  return group.members.map((m) => findHost(inventory, m));
}
