import { loadInventory } from '../src/config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../src/config/loadRunbooks';
import { findHost } from '../src/domain/findHost';
import { netnsOf } from '../test/lab/labTypes';
import type { Lab } from '../test/lab/Lab';
import type { BenchContext } from './BenchContext';
import { RemoteCpuMeter } from './RemoteCpuMeter';

/**
 * The bench hosts of a running lab, read from its inventory (or another one for the same hosts,
 * e.g. through the far relay), with their CPU meters.
 */
export function benchContextFor(
  l: Lab,
  names: readonly string[],
  port: number,
  concurrency: number,
  inventoryPath: string = l.inventoryPath,
): BenchContext {
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventory = loadInventory(inventoryPath, new Set(runbooks.keys()));
  return {
    inventory,
    runbooks,
    hosts: names.map((n) => findHost(inventory, n)),
    port,
    meterOne: RemoteCpuMeter.forNetns([netnsOf(names[0] ?? '')]),
    meterAll: RemoteCpuMeter.forNetns(names.map(netnsOf)),
    concurrency,
  };
}
