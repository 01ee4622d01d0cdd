import type { Diagnosis } from '../domain/diagnosis';
import type { PostSlot } from '../domain/PostSlot';

/** One incident = one (host, port) problem = one Slack thread, from first firing to resolution. */
export interface Incident {
  id: string;
  host: string;
  port: number;
  status: 'open' | 'resolved';
  /** Where the thread lives; null until the root message is posted. */
  channel: string;
  rootTs: string | null;
  alertCount: number;
  openedAt: number;
  lastAlertAt: number;
  resolvedAt: number | null;
  lastDiagnosedAt: number | null;
  summary: string;
  /** Slack user who ran `/port check`; null for alert incidents. */
  requestedBy: string | null;
}

export type FiringOutcome =
  | { kind: 'opened'; incident: Incident }
  /** `diagnose` is true at most once per re-diagnosis interval. */
  | { kind: 'repeat'; incident: Incident; diagnose: boolean };

export type ResolvedOutcome = { kind: 'resolved'; incident: Incident } | { kind: 'not-open' };

/**
 * Incident bookkeeping. Implementations must be atomic across processes: several `serve`
 * processes behind a load balancer receive repeats of the same alert at once.
 */
export interface IncidentStore {
  recordFiring(input: {
    host: string;
    port: number;
    channel: string;
    summary: string;
    now: number;
    rediagnoseIntervalMs: number;
  }): Promise<FiringOutcome>;
  /**
   * A manual `/port check <host>`: its own record and thread, never deduplicated against alerts.
   * Fleet checks (group, all) are not incidents: see FleetCheckStore.
   */
  openCheck(input: {
    host: string;
    port: number;
    channel: string;
    summary: string;
    requestedBy: string;
    now: number;
  }): Promise<Incident>;
  recordResolved(input: { host: string; port: number; now: number }): Promise<ResolvedOutcome>;
  /** Whether host:port has an open incident now (a firing for it would be a repeat). */
  hasOpen(host: string, port: number): Promise<boolean>;
  get(id: string): Promise<Incident | null>;
  /** Records the root message once; returns false (and changes nothing) when one is already set. */
  setRoot(id: string, channel: string, ts: string): Promise<boolean>;
  /** The post-once state of the incident's root message (its `rootTs` once posted). */
  rootSlot(id: string): PostSlot;
  /** The post-once state of one reply in a thread (evidence, a fleet check's host reply). */
  replySlot(threadId: string, replyId: string): PostSlot;
  /** True exactly once per key: guards a Slack post that must never happen twice. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back when the guarded post failed, so a retry may make it. */
  releaseClaim(key: string): Promise<void>;
  /**
   * Stores the latest diagnosis and answers the incident as it stands after the save (repeats
   * counted meanwhile included); null when the incident expired, and then nothing is stored.
   */
  saveDiagnosis(id: string, diagnosis: Diagnosis): Promise<Incident | null>;
  getDiagnosis(id: string): Promise<Diagnosis | null>;
  countOpen(): Promise<number>;
}
