/** Verdict codes, in precedence order (docs/reference/verdicts.md): the first that applies wins. */
export const VERDICTS = [
  'unreachable',
  'suspicious-occupant',
  // a listed security/monitoring agent: escalate to its team, never kill (diagnosis/rules/protectedOccupant)
  'protected-occupant',
  'container-port',
  'socket-activation',
  'lb-binary-upgrade',
  'lb-reload-generations',
  'stale-lb-instance',
  'reuseport-split',
  'foreign-listener',
  // before the collision it is a special case of (diagnosis/rules/selfConnect)
  'self-connect',
  'ephemeral-port-collision',
  // portbot's extension: a non-ephemeral connection holds the port (see diagnosis/rules/connectionHoldsPort)
  'connection-holds-port',
  'permission-denied',
  'address-not-available',
  'config-conflict',
  // seen only by sampling, so it explains a failure the snapshot no longer shows (diagnosis/rules/transientOccupant)
  'transient-occupant',
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
