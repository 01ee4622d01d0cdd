import { loadInventory } from '../config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../config/loadRunbooks';
import type { Diagnosis } from '../domain/diagnosis';
import { findGroup, findHost } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { formatDiagnosisText } from '../render/formatDiagnosisText';
import { formatFleetText } from '../render/formatFleetText';
import { formatProgress } from '../render/formatProgress';
import { SshPool } from '../ssh/SshPool';
import { diagnoseMany } from '../usecases/diagnoseMany';
import type { CliIo } from './CliIo';
import { parseDiagnoseArgs, type DiagnoseTarget } from './parseDiagnoseArgs';
import { progressLine } from './progressLine';

/** `portbot diagnose`: exit 0 when every host was diagnosed, 3 when one could not be reached. */
export async function diagnoseCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseDiagnoseArgs(argv);
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventoryPath = args.inventory ?? io.env.PORTBOT_INVENTORY ?? 'inventory.yaml';
  const inventory = loadInventory(inventoryPath, new Set(runbooks.keys()));
  const hosts = selectHosts(inventory, args.target);
  const pool = new SshPool({ maxConcurrency: args.concurrency });
  // A fan-out on a terminal shows how far it got; piped output and --json get nothing extra.
  const progress =
    args.json || args.target.kind === 'host' || !io.stderrTty ? null : progressLine(io.stderrTty);
  const count = { port: args.port, done: 0, total: hosts.length, unreachable: 0 };
  progress?.show(formatProgress(count));
  let results: Diagnosis[];
  try {
    results = await diagnoseMany(
      { runner: pool, runbooks, now: io.now },
      inventory,
      hosts,
      args.port,
      args.concurrency,
      { sampleMs: args.sampleMs },
      (d) => {
        count.done += 1;
        if (d.verdict === 'unreachable') count.unreachable += 1;
        progress?.show(formatProgress(count));
      },
    );
  } finally {
    progress?.clear();
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
