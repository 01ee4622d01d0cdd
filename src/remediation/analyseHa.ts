import type { Diagnosis } from '../domain/diagnosis';
import type { PlanInput, PlanRefusalCode } from './RemediationPlan';

/** Defaults for a keepalived group without `commands` (docs/reference/inventory.md). */
export const KEEPALIVED_DEFAULT_COMMANDS = {
  demote: 'systemctl stop keepalived',
  promote: 'systemctl start keepalived',
} as const;

export interface HaView {
  group: string;
  vip: string;
  vipHolder: string | null;
  targetHoldsVip: boolean;
  /** Members that serve the port and wait as BACKUP: where the VIP may go. */
  healthyPeers: string[];
  /** The target holds the VIP and its service is interrupted: hand the VIP over first. */
  handover: boolean;
  /** The target holds the VIP, no healthy peer, and the outage was accepted. */
  outage: boolean;
  demote: string;
  promote: string;
}

type HaResult =
  { ok: true; ha: HaView | null } | { ok: false; code: PlanRefusalCode; reason: string };

function isHealthyPeer(d: Diagnosis): boolean {
  return d.verdict === 'healthy' && d.ha?.role === 'BACKUP' && !d.ha.holdsVip;
}

/** FAULT members do not take part in the election; anything else might win it. */
function mayTakeVip(d: Diagnosis): boolean {
  return d.ha === null || d.ha.role !== 'FAULT';
}

/**
 * The HA situation of the target, from the diagnoses of every member. `interrupting`: the plan
 * stops what serves the port on the target (kill a listener, restart the LB).
 */
export function analyseHa(input: PlanInput, interrupting: boolean): HaResult {
  const { group } = input;
  const target = input.target.diagnosis;
  if (!group) {
    if (input.target.host.haGroup !== undefined) {
      return {
        ok: false,
        code: 'member-not-diagnosed',
        reason: `${target.host} is in haGroup ${input.target.host.haGroup}: its members must be diagnosed`,
      };
    }
    return { ok: true, ha: null };
  }
  const { config } = group;
  const byHost = new Map(group.diagnoses.map((d) => [d.host, d]));
  const missing = config.members.filter((m) => byHost.get(m)?.port !== target.port);
  if (!config.members.includes(target.host) || missing.length > 0) {
    return {
      ok: false,
      code: 'member-not-diagnosed',
      reason: `every member of ${config.name} must be diagnosed on port ${target.port} (missing: ${missing.join(', ') || target.host})`,
    };
  }
  const holders = config.members.filter((m) => byHost.get(m)?.ha?.holdsVip === true);
  if (holders.length > 1) {
    return {
      ok: false,
      code: 'split-brain',
      reason: `the VIP ${config.vip} is on ${holders.join(' and ')} at once: resolve the split brain first`,
    };
  }
  const targetHoldsVip = holders[0] === target.host;
  const others = config.members.flatMap((m) => {
    const d = byHost.get(m);
    return d && m !== target.host ? [d] : [];
  });
  const healthyPeers = others.filter(isHealthyPeer).map((d) => d.host);
  const view: HaView = {
    group: config.name,
    vip: config.vip,
    vipHolder: holders[0] ?? null,
    targetHoldsVip,
    healthyPeers,
    handover: false,
    outage: false,
    demote: config.commands?.demote ?? KEEPALIVED_DEFAULT_COMMANDS.demote,
    promote: config.commands?.promote ?? KEEPALIVED_DEFAULT_COMMANDS.promote,
  };
  if (!interrupting || !targetHoldsVip) return { ok: true, ha: view };

  if (healthyPeers.length === 0) {
    if (input.options.acceptOutage) return { ok: true, ha: { ...view, outage: true } };
    return {
      ok: false,
      code: 'no-healthy-peer',
      reason: `${target.host} holds the VIP ${config.vip} and no other member of ${config.name} serves port ${target.port}: this would be an outage (only the accept-outage approval allows it)`,
    };
  }
  // An unverified member could win the election when the target demotes and black-hole the VIP.
  const unverified = others.filter((d) => !isHealthyPeer(d) && mayTakeVip(d)).map((d) => d.host);
  if (unverified.length > 0) {
    return {
      ok: false,
      code: 'peer-unverified',
      reason: `${unverified.join(', ')} could take the VIP ${config.vip} but ${unverified.length === 1 ? 'is' : 'are'} not verified healthy on port ${target.port}`,
    };
  }
  return { ok: true, ha: { ...view, handover: true } };
}
