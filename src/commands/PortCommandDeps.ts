import type { RecordAudit } from '../audit/recordAudit';
import type { Policy } from '../domain/Policy';
import type { Inventory } from '../domain/HostConfig';
import type { Log } from '../domain/Log';
import type { FleetCheckStore } from '../fleetChecks/FleetCheck';
import type { IncidentStore } from '../incidents/Incident';
import type { JobQueue } from '../queue/JobQueue';

export interface PortCommandDeps {
  policy: Policy;
  inventory: Inventory;
  incidents: IncidentStore;
  checks: FleetCheckStore;
  queue: JobQueue;
  now: () => number;
  log: Log;
  audit: RecordAudit;
  /** Text for `/port status`. */
  status: () => Promise<string>;
}

export interface PortCommandRequest {
  text: string;
  userId: string;
  channelId: string;
}
