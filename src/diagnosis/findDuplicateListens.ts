import { normalizeListen } from '../probes/normalizeListen';

/**
 * Addresses declared twice. nginx server blocks sharing an address are ordinary virtual
 * hosting: probes/parsers/flattenNginxListens already lists an nginx address only as often as
 * one server block declares it, so any repeat here is a repeat inside one block. HAProxy has no
 * virtual hosts: two binds of one address conflict wherever they are.
 */
export function findDuplicateListens(configListens: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const entry of configListens) {
    const address = normalizeListen(entry);
    if (seen.has(address)) dups.add(address);
    seen.add(address);
  }
  return [...dups];
}
