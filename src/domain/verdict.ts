/** Verdict codes, in precedence order (docs/reference/verdicts.md): the first that applies wins. */
export const VERDICTS = [
  'unreachable',
  'suspicious-occupant',
  'container-port',
  'socket-activation',
  'lb-binary-upgrade',
  'lb-reload-generations',
  'stale-lb-instance',
  'reuseport-split',
  'foreign-listener',
  'ephemeral-port-collision',
  // portbot's extension: a non-ephemeral connection holds the port (see diagnosis/rules/connectionHoldsPort)
  'connection-holds-port',
  'permission-denied',
  'address-not-available',
  'config-conflict',
  'healthy',
  'lb-not-listening',
  'time-wait-only',
  'port-free-lb-down',
] as const;

export type Verdict = (typeof VERDICTS)[number];

export const ACTION_KINDS = [
  'kill-occupant',
  'restart-lb',
  'reload-lb',
  'reserve-port',
  'escalate-security',
  'escalate-owner',
  'advice',
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

export type Risk = 'none' | 'low' | 'medium' | 'high';
