import pLimit from 'p-limit';
import type { Diagnosis } from '../domain/diagnosis';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { diagnoseHost, type DiagnoseDeps } from './diagnoseHost';

/**
 * Diagnoses hosts in parallel (at most `concurrency` at once); results keep the input order.
 * `onDiagnosed` hears of each host as it finishes (the CLI's progress line).
 */
export async function diagnoseMany(
  deps: DiagnoseDeps,
  inventory: Inventory,
  hosts: readonly HostConfig[],
  port: number,
  concurrency: number,
  onDiagnosed: (d: Diagnosis) => void = () => undefined,
): Promise<Diagnosis[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(
    hosts.map((h) =>
      limit(async () => {
        const d = await diagnoseHost(deps, inventory, h, port);
        onDiagnosed(d);
        return d;
      }),
    ),
  );
}
