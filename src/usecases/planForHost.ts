import { resolveLb } from '../config/resolveLb';
import { withSplitBrain } from '../diagnosis/splitBrain';
import type { Diagnosis } from '../domain/diagnosis';
import { findHost, groupOf } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import type { ProbeResults } from '../domain/ProbeResults';
import { hostOf, portOf } from '../probes/normalizeListen';
import type { Observation } from '../remediation/ExecutionPorts';
import { planRemediation } from '../remediation/planRemediation';
import type {
  FourTuple,
  PlanOptions,
  PlanResult,
  RemediationAction,
} from '../remediation/RemediationPlan';
import type { DiagnoseDeps } from './diagnoseHost';
import { observeHost } from './observeHost';

export type PlanForHost =
  | { kind: 'planned'; result: PlanResult; diagnoses: Diagnosis[] }
  | { kind: 'undiagnosable'; diagnoses: Diagnosis[] };

/** The connection that holds the port without listening (ephemeral-port-collision). */
function holdingConnection(probes: ProbeResults | null, port: number): FourTuple | null {
  const s = probes?.sockets.find((x) => x.state === 'ESTAB' && x.owners.length > 0);
  const peerPort = s ? portOf(s.peerAddress) : null;
  if (!s || peerPort === null) return null;
  return {
    localIp: hostOf(s.localAddress),
    localPort: port,
    peerIp: hostOf(s.peerAddress),
    peerPort,
  };
}

/**
 * Diagnoses the host and every member of its HA group (read-only credential), then plans.
 * `portbot plan` and the executor's callers use this one path, so both see the same steps.
 */
export async function planForHost(
  deps: DiagnoseDeps,
  inventory: Inventory,
  hostName: string,
  port: number,
  action: RemediationAction,
  options: Partial<PlanOptions> = {},
): Promise<PlanForHost> {
  const host = findHost(inventory, hostName);
  const group = groupOf(inventory, host);
  const members: HostConfig[] = group ? group.members.map((m) => findHost(inventory, m)) : [];
  const others = members.filter((m) => m.name !== host.name);
  const [target, ...rest] = await Promise.all(
    [host, ...others].map((h) => observeHost(deps, inventory, h, port)),
  );
  const seen = [target, ...rest].filter((o): o is Observation => o !== undefined);
  // Every member was observed: the split-brain finding needs no further probe.
  const diagnoses = withSplitBrain(
    seen.map((o) => o.diagnosis),
    group ? [group] : [],
    [],
  );
  if (!target || diagnoses.some((d) => d.verdict === 'unreachable')) {
    return { kind: 'undiagnosable', diagnoses };
  }
  const result = planRemediation({
    action,
    target: {
      host,
      lb: resolveLb(host, deps.runbooks),
      diagnosis: target.diagnosis,
      reservedPorts: target.probes?.sysctls.ipLocalReservedPorts ?? null,
      connection: holdingConnection(target.probes, port),
    },
    group: group ? { config: group, diagnoses } : null,
    options: {
      termWaitMs: 5000,
      acceptOutage: false,
      closeConnection: false,
      sudo: host.remediation?.sudo ?? false,
      ...options,
    },
  });
  return { kind: 'planned', result, diagnoses };
}
