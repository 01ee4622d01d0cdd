import type { RelayStats } from '../test/lab/relay/DelayRelay';
import { round } from './stats';

/** What crossed the far relay during one phase's measured runs (bench/README.md "Far away hosts"). */
export interface FarRoundTrips {
  connections: number;
  exchanges: number;
  /** (connections + exchanges) ÷ diagnoses: the TCP handshake plus every request answered. */
  perDiagnosis: number;
  bytesPerDiagnosis: number;
}

export function roundTripsBetween(
  before: RelayStats,
  after: RelayStats,
  diagnoses: number,
): FarRoundTrips {
  const connections = after.connections - before.connections;
  const exchanges = after.exchanges - before.exchanges;
  const bytes = after.bytesUp + after.bytesDown - before.bytesUp - before.bytesDown;
  return {
    connections,
    exchanges,
    perDiagnosis: round((connections + exchanges) / diagnoses),
    bytesPerDiagnosis: Math.round(bytes / diagnoses),
  };
}
