import type { PostSlot } from '../domain/PostSlot';
import type { FleetScope } from '../domain/FleetScope';

/**
 * One `/port check group:<name>` or `check all`: one summary thread for many hosts. Not an
 * incident: it has no single host, no alerts to count and nothing to resolve.
 */
export interface FleetCheck {
  id: string;
  scope: FleetScope;
  port: number;
  /** Where the thread lives; null until the root message is posted. */
  channel: string;
  rootTs: string | null;
  /** Slack user who ran the command. */
  requestedBy: string;
  openedAt: number;
}

/** Fleet check bookkeeping; atomic across processes like the IncidentStore. */
export interface FleetCheckStore {
  open(input: {
    scope: FleetScope;
    port: number;
    channel: string;
    requestedBy: string;
    now: number;
  }): Promise<FleetCheck>;
  get(id: string): Promise<FleetCheck | null>;
  /** Records the root message once; returns false (and changes nothing) when one is already set. */
  setRoot(id: string, channel: string, ts: string): Promise<boolean>;
  /** The post-once state of the check's root message (its `rootTs` once posted). */
  rootSlot(id: string): PostSlot;
}
