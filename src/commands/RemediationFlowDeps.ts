import type { ApprovalSigner } from '../approval/approvalMac';
import type { ApprovalStore } from '../approval/ApprovalStore';
import type { RecordAudit } from '../audit/recordAudit';
import type { Policy } from '../domain/Policy';
import type { Log } from '../domain/Log';
import type { IncidentStore } from '../incidents/Incident';
import type { RemediationAction } from '../remediation/RemediationPlan';
import type { Block } from '../render/slack/blockKitTypes';
import type { ModalView } from '../render/slack/modalTypes';
import type { PlanForHost } from '../usecases/planForHost';

/** planForHost bound to the inventory and the read-only credential. */
export type Planner = (
  host: string,
  port: number,
  action: RemediationAction,
  options: { acceptOutage: boolean },
) => Promise<PlanForHost>;

/** The Slack calls of the flow; SlackPoster (src/slack) satisfies it. */
export interface FlowSlack {
  post(msg: {
    channel: string;
    text: string;
    blocks?: Block[];
    threadTs?: string;
  }): Promise<{ channel: string; ts: string }>;
  update(msg: { channel: string; ts: string; text: string; blocks?: Block[] }): Promise<void>;
  postEphemeral(msg: {
    channel: string;
    user: string;
    text: string;
    blocks?: Block[];
    threadTs?: string;
  }): Promise<void>;
  openView(triggerId: string, view: ModalView): Promise<void>;
  /** The bot's DM channel with this user (conversations.open). */
  openDm(userId: string): Promise<string>;
}

/** What the Slack remediation flow needs, injected at start-up. */
export interface RemediationFlowDeps {
  policy: Policy;
  /** Signs the request and each approval it records (PORTBOT_APPROVAL_KEY); null when read-only. */
  signer: ApprovalSigner | null;
  /** claimOnce bounds the audit records of clicks on unknown request ids (one key per user and minute). */
  incidents: Pick<IncidentStore, 'get' | 'getDiagnosis' | 'claimOnce'>;
  approvals: ApprovalStore;
  plan: Planner;
  slack: FlowSlack;
  /** The user's Slack user groups (usergroups.users.list, cached briefly); [] when unavailable. */
  userGroups: (userId: string) => Promise<readonly string[]>;
  /** Hands an approved request to the executor (a BullMQ job); the worker re-checks everything. */
  enqueueExecution: (requestId: string) => Promise<void>;
  /**
   * Adds the delayed job that expires the request at `at` (epoch ms) if nobody decided it by
   * then; added once per request.
   */
  scheduleExpiry: (requestId: string, at: number) => Promise<void>;
  audit: RecordAudit;
  now: () => number;
  log: Log;
}
