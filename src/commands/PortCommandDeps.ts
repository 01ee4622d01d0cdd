import type { RecordAudit } from '../audit/recordAudit';
import type { Policy } from '../domain/Policy';
import type { Inventory } from '../domain/HostConfig';
import type { Log } from '../domain/Log';
import type { FleetCheckStore } from '../fleetChecks/FleetCheck';
import type { IncidentStore } from '../incidents/Incident';
import type { JobQueue } from '../queue/JobQueue';
import type { SweepQueue } from '../queue/sweepQueue';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import type { AuditExportDeps } from './AuditExportDeps';

export interface PortCommandDeps {
  policy: Policy;
  inventory: Inventory;
  incidents: IncidentStore;
  checks: FleetCheckStore;
  queue: JobQueue;
  /** `/port sweep`: one sweep job, its digest posted in the channel. */
  sweeps: SweepQueue;
  now: () => number;
  log: Log;
  audit: RecordAudit;
  /** Text for `/port status`. */
  status: () => Promise<string>;
  /** `/port audit export`: the log, user groups and the Slack file upload. */
  auditExport: AuditExportDeps;
}

export interface PortCommandRequest {
  text: string;
  userId: string;
  channelId: string;
}

/**
 * What to answer within Slack's 3 s (`reply`, ephemeral) and what to do after the ack
 * (`afterAck`: queue work, or a slower ephemeral answer). Refusals queue nothing.
 */
export interface PortCommandPlan {
  reply?: SlackMessage;
  afterAck?: () => Promise<SlackMessage | undefined>;
}
