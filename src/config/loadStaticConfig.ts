import { loadInventory } from './loadInventory';
import { defaultRunbooksDir, loadRunbooks } from './loadRunbooks';
import type { Inventory } from '../domain/HostConfig';
import type { Runbook } from '../domain/Runbook';

/** Runbooks and inventory, validated together (the inventory names runbook kinds). */
export function loadStaticConfig(inventoryPath: string): {
  inventory: Inventory;
  runbooks: Map<string, Runbook>;
} {
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventory = loadInventory(inventoryPath, new Set(runbooks.keys()));
  return { inventory, runbooks };
}
