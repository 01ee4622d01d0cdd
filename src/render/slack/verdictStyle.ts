import type { Verdict } from '../../domain/verdict';

/** How bad a verdict is at a glance; group summaries list problems before healthy hosts. */
export type VerdictFamily = 'security' | 'taken' | 'lb-fault' | 'lb-down' | 'unreachable' | 'ok';

export interface VerdictStyle {
  family: VerdictFamily;
  emoji: string;
  label: string;
}

const FAMILY_EMOJI: Record<VerdictFamily, string> = {
  security: '🚨',
  taken: '🔴',
  'lb-fault': '🟠',
  'lb-down': '🟡',
  unreachable: '🔌',
  ok: '🟢',
};

/** Display order: the family that needs a human soonest comes first. */
export const FAMILY_ORDER: readonly VerdictFamily[] = [
  'security',
  'taken',
  'lb-fault',
  'unreachable',
  'lb-down',
  'ok',
];

const STYLES: Record<Verdict, { family: VerdictFamily; label: string }> = {
  unreachable: { family: 'unreachable', label: 'Host unreachable' },
  'suspicious-occupant': { family: 'security', label: 'Suspicious process holds the port' },
  'protected-occupant': { family: 'taken', label: 'A protected agent holds the port' },
  'container-port': { family: 'taken', label: 'Port published by a container' },
  'socket-activation': { family: 'taken', label: 'A systemd socket unit owns the port' },
  'lb-binary-upgrade': { family: 'lb-fault', label: 'LB binary upgrade in progress' },
  'lb-reload-generations': { family: 'lb-fault', label: 'Old LB generations still listen' },
  'stale-lb-instance': { family: 'taken', label: 'Stale LB instance holds the port' },
  'reuseport-split': { family: 'taken', label: 'Another program shares the port' },
  'foreign-listener': { family: 'taken', label: 'Another program holds the port' },
  'self-connect': { family: 'taken', label: 'A connection to itself holds the port' },
  'ephemeral-port-collision': { family: 'taken', label: 'Outgoing connection holds the port' },
  'connection-holds-port': { family: 'taken', label: 'A connection holds the port' },
  'permission-denied': { family: 'lb-fault', label: 'LB may not bind the port' },
  'address-not-available': { family: 'lb-fault', label: 'LB binds an address it lacks' },
  'config-conflict': { family: 'lb-fault', label: 'LB config is broken' },
  'transient-occupant': { family: 'taken', label: 'Something binds the port briefly' },
  healthy: { family: 'ok', label: 'Healthy' },
  'lb-not-listening': { family: 'lb-down', label: 'LB runs but does not listen' },
  'time-wait-only': { family: 'lb-down', label: 'Only TIME-WAIT sockets' },
  'port-free-lb-down': { family: 'lb-down', label: 'Port free, LB down' },
};

export function verdictStyle(verdict: Verdict): VerdictStyle {
  const s = STYLES[verdict];
  return { ...s, emoji: FAMILY_EMOJI[s.family] };
}
