import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { loadInventory } from '../config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../config/loadRunbooks';
import { resolveLb } from '../config/resolveLb';
import { isDiagnosisFailureCode } from '../diagnosis/diagnosisFailure';
import { findGroup, findHost } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { isPortbotError, PortbotError } from '../domain/PortbotError';
import { errorMessage } from '../domain/errorMessage';
import { k8sGuard, nodeNameOf } from '../guards/k8sGuard';
import {
  formatSysctlGuards,
  lbPortsOf,
  sysctlGuard,
  type GuardHostInput,
} from '../guards/sysctlGuard';
import { collectProbes } from '../probes/collectProbes';
import { SshPool } from '../ssh/SshPool';
import type { CliIo } from './CliIo';
import { parseGuardArgs } from './parseGuardArgs';
import type { DiagnoseTarget } from './parseDiagnoseArgs';

/** Any port will do: the probe reads the config and the sysctls whatever port it filters ss on. */
const PROBE_PORT = 80;

/**
 * `portbot guard sysctl|k8s`: prints guards generated from the inventory (and, unless
 * --offline, each host's config and current reservations read with the read-only probe).
 * Exit 0 printed; 2 usage or inventory error; 3 a host could not be probed (nothing printed).
 */
export async function guardCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseGuardArgs(argv);
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventoryPath = args.inventory ?? io.env.PORTBOT_INVENTORY ?? 'inventory.yaml';
  const inventory = loadInventory(inventoryPath, new Set(runbooks.keys()));
  const hosts = selectLbHosts(inventory, args.target);

  const inputs: GuardHostInput[] = hosts.map((h) => ({
    name: h.name,
    inventoryPorts: h.lb?.ports ?? [],
    live: null,
  }));
  if (!args.offline) {
    const failed = await probeLive(hosts, inputs, runbooks, args.concurrency);
    if (failed.length > 0) {
      for (const f of failed) io.stderr(`portbot: ${f}`);
      return 3;
    }
  } else if (args.kind === 'sysctl') {
    io.stderr(
      'portbot: --offline: the hosts were not read; applying this replaces their current reservations (run without --offline to keep them)',
    );
  }
  for (const i of inputs) {
    if (i.live && i.live.reserved === null && args.kind === 'sysctl')
      io.stderr(
        `portbot: ${i.name}: net.ipv4.ip_local_reserved_ports could not be read: the drop-in does not keep its current reservations`,
      );
  }
  const unknown = inputs.filter((i) => lbPortsOf(i).length === 0).map((i) => i.name);
  if (unknown.length > 0) {
    throw new PortbotError(
      'USAGE',
      `no LB port known for ${unknown.join(', ')}: list them in the inventory (hosts[].lb.ports)${args.offline ? ' or run without --offline to read the LB config' : ''}`,
    );
  }
  if (args.kind === 'sysctl') {
    const guards = inputs.flatMap((i) => sysctlGuard(i) ?? []);
    io.stdout(formatSysctlGuards(guards));
  } else {
    const nodes = hosts.map((h, i) => ({
      host: h.name,
      node: nodeNameOf(h),
      ports: lbPortsOf(inputs[i] as GuardHostInput),
    }));
    io.stdout(
      k8sGuard(nodes)
        .map((doc) => stringify(doc, { lineWidth: 0 }))
        .join('---\n'),
    );
  }
  return 0;
}

function selectLbHosts(inventory: Inventory, target: DiagnoseTarget): HostConfig[] {
  let hosts: HostConfig[];
  if (target.kind === 'host') hosts = [findHost(inventory, target.host)];
  else if (target.kind === 'group')
    hosts = findGroup(inventory, target.group).members.map((m) => findHost(inventory, m));
  else hosts = inventory.hosts.filter((h) => h.lb !== undefined);
  const noLb = hosts.filter((h) => h.lb === undefined).map((h) => h.name);
  if (noLb.length > 0) {
    throw new PortbotError(
      'USAGE',
      `no lb in the inventory for ${noLb.join(', ')}: nothing to guard`,
    );
  }
  if (hosts.length === 0) throw new PortbotError('USAGE', 'the inventory has no host with an lb');
  return hosts;
}

/** Fills `live` of each input from one read-only probe per host; returns the failures. */
async function probeLive(
  hosts: readonly HostConfig[],
  inputs: GuardHostInput[],
  runbooks: Parameters<typeof resolveLb>[1],
  concurrency: number,
): Promise<string[]> {
  const pool = new SshPool({ maxConcurrency: concurrency });
  const limit = pLimit(concurrency);
  const failed: string[] = [];
  try {
    await Promise.all(
      hosts.map((h, i) =>
        limit(async () => {
          try {
            const probes = await collectProbes(pool, h, PROBE_PORT, resolveLb(h, runbooks), null);
            inputs[i] = {
              ...(inputs[i] as GuardHostInput),
              live: {
                configListens: probes.lb?.configListens ?? [],
                reserved: probes.sysctls.ipLocalReservedPorts,
              },
            };
          } catch (err) {
            if (!(isPortbotError(err) && isDiagnosisFailureCode(err.code))) throw err;
            failed.push(`${h.name}: could not be probed: ${errorMessage(err)}`);
          }
        }),
      ),
    );
  } finally {
    await pool.close();
  }
  return failed;
}
