import type { CommandRunner } from '../domain/CommandRunner';
import type { Diagnosis } from '../domain/diagnosis';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import type { Runbook } from '../domain/Runbook';
import { addSplitBrain, peerVipViews } from './addSplitBrain';
import { observeHost, type ObserveOptions } from './observeHost';

export interface DiagnoseDeps {
  runner: CommandRunner;
  runbooks: ReadonlyMap<string, Runbook>;
  /** Milliseconds, monotonic enough for durations. */
  now: () => number;
}

/**
 * Probe one host and diagnose; a member of an HA group also learns whether a peer holds the VIP
 * too (vip-split-brain). SSH failures become an `unreachable` diagnosis (the first verdict
 * of docs/reference/verdicts.md) rather than an exception, so fan-out reports every host.
 */
export async function diagnoseHost(
  deps: DiagnoseDeps,
  inventory: Inventory,
  host: HostConfig,
  port: number,
  opts: ObserveOptions = {},
): Promise<Diagnosis> {
  const peers = peerVipViews(deps, inventory, [host.name]);
  const { diagnosis } = await observeHost(deps, inventory, host, port, opts);
  const [withPeers] = await addSplitBrain([diagnosis], peers);
  return withPeers ?? diagnosis;
}
