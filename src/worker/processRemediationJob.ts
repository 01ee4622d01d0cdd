import type {
  ApprovalContext,
  ApprovalEffect,
  ApprovalEvent,
  Outcome,
} from '../approval/ApprovalState';
import type { RemediationRequest } from '../approval/ApprovalStore';
import { applyApprovalEvent } from '../approval/applyApprovalEvent';
import { verifyApprovedRequest } from '../approval/verifyApprovedRequest';
import type { AuditEvent } from '../audit/AuditEvent';
import type { AuditLog } from '../audit/AuditLog';
import {
  carryOutApprovalEffects,
  type ApprovalEffectDeps,
} from '../commands/carryOutApprovalEffects';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import { RetryLater } from '../domain/RetryLater';
import type {
  ExecuteDeps,
  ExecutionContext,
  ExecutionOutcome,
  FencingLock,
  StepJournal,
  StepProgress,
} from '../remediation/ExecutionPorts';
import { AuditWriteError, lockScope } from '../remediation/executePlan';
import { lostRunOutcome } from '../remediation/lostRunOutcome';
import { outcomeAuditEvent } from '../remediation/outcomeAuditEvent';
import type { RemediationPlan } from '../remediation/RemediationPlan';
import {
  EARLIER_RUN_SLACK_MS,
  EXECUTION_STARTED_EVENT,
  isEarlierRun,
  startRefusal,
} from '../remediation/startRefusal';
import { errorMessage } from '../domain/errorMessage';

export interface RemediationJobDeps {
  approvals: ApprovalEffectDeps['approvals'];
  effects: ApprovalEffectDeps;
  /** executePlan over the remediation credential, the fencing lock, journal and audit log. */
  execute: (
    plan: RemediationPlan,
    ctx: ExecutionContext,
    ports: Pick<ExecuteDeps, 'onProgress' | 'settle'>,
  ) => Promise<ExecutionOutcome>;
  lock: FencingLock;
  journal: StepJournal;
  /** Appends and throws on failure: an outcome the audit log lacks is never reported. */
  audit: AuditLog;
  approvalContext: ApprovalContext;
  lockTtlMs: number;
  now: () => number;
  log: Log;
}

/** A start that could not be stored is tried again after this long (no attempt is spent). */
const START_RETRY_MS = 5000;

export type RemediationJobResult = Outcome | 'already-decided';

/**
 * Runs one approved request. Only the job that moves the request from `approved` to `executing`
 * runs its plan; a job that finds it already `executing` belongs to a lost worker (BullMQ hands a
 * stalled job to another worker) and ends the request `aborted` without running any step — once
 * the lost run's fencing lock has lapsed, so a run that is still alive is never declared dead.
 */
export async function processRemediationJob(
  deps: RemediationJobDeps,
  requestId: string,
): Promise<RemediationJobResult> {
  const request = await deps.approvals.get(requestId);
  if (!request) {
    throw new PortbotError('INTERNAL', `remediation ${requestId}: no such request`, {
      userFacing: false,
    });
  }
  switch (request.state.status) {
    case 'approved':
      return run(deps, request);
    case 'executing':
      return endLostRun(deps, request);
    default:
      deps.log.info(
        { requestId, status: request.state.status, incidentId: request.state.incidentId },
        'remediation job finds the request decided',
      );
      return 'already-decided';
  }
}

function contextOf(request: RemediationRequest): ExecutionContext {
  const last = request.state.approvals.at(-1);
  return {
    requestId: request.state.requestId,
    incidentId: request.state.incidentId,
    actor: last?.userId ?? 'system',
  };
}

async function run(deps: RemediationJobDeps, request: RemediationRequest) {
  const { state, plan } = request;
  const ctx = contextOf(request);
  let started: 'applied' | 'refused';
  try {
    started = await apply(deps, state.requestId, { type: 'start', at: deps.now() });
  } catch (err) {
    // Nothing ran and the compare-and-set decides who starts: a retry is safe, and a write that
    // landed unseen makes the retry find `executing` and end the request without any step.
    deps.log.warn(
      { requestId: state.requestId, incidentId: state.incidentId, err: errorMessage(err) },
      'remediation start could not be stored; retrying',
    );
    throw new RetryLater(START_RETRY_MS, `remediation ${state.requestId} could not be started`);
  }
  if (started !== 'applied') {
    // Another job took it between our read and our write: that job owns the run.
    deps.log.warn({ requestId: state.requestId }, 'remediation start lost to another job');
    return 'already-decided';
  }
  const verified = verifyApprovedRequest(
    deps.approvalContext.signer,
    deps.approvalContext.policy,
    request,
  );
  if (!verified.ok) {
    // What would run is not what serve signed (plan, requester, approvals): touch no host.
    deps.log.error(
      { requestId: state.requestId, incidentId: state.incidentId, reason: verified.reason },
      'remediation request failed verification',
    );
    const outcome: ExecutionOutcome = {
      status: 'aborted',
      code: 'unverified-request',
      reason: verified.reason,
      lastCompletedStep: null,
      leftBehind: null,
    };
    // The approvals are not trusted: the record names no approver as its actor.
    return finishOnce(deps, request, outcome, { ...ctx, actor: 'system' });
  }
  const refused = await refuseStart(deps, request);
  if (refused) {
    deps.log.error(
      { requestId: state.requestId, incidentId: state.incidentId, code: refused.code },
      'remediation request refused before its first step',
    );
    return finishOnce(deps, request, refused, { ...ctx, actor: 'system' });
  }
  // executePlan settles the outcome through this compare-and-set and audits it only if it won;
  // the winner's message update and requester notice follow the audit record.
  const claim: { won: Settled | null } = { won: null };
  const settle = async (outcome: ExecutionOutcome) => {
    claim.won = await claimOutcome(deps, state.requestId, outcome);
    return claim.won !== null;
  };
  let outcome: ExecutionOutcome;
  try {
    outcome = await deps.execute(plan, ctx, {
      onProgress: (p) => recordProgress(deps, state.requestId, p),
      settle,
    });
  } catch (err) {
    // executePlan turns every port failure into an outcome except the settle and the final audit
    // append. The error itself goes to the log only.
    const settled = claim.won;
    const audit = err instanceof AuditWriteError;
    deps.log.error(
      { requestId: state.requestId, incidentId: state.incidentId, err: errorMessage(err) },
      audit ? 'remediation outcome not written to the audit log' : 'remediation executor failed',
    );
    if (settled !== null) {
      // The request already carries its true outcome; only the audit record is missing.
      await effectsOf(deps, settled);
    } else {
      await finishOnce(deps, request, {
        status: 'aborted',
        code: 'executor-error',
        reason: `the executor failed unexpectedly: check ${plan.host} before acting again (ref ${state.requestId})`,
        lastCompletedStep: null,
        leftBehind: null,
      });
    }
    throw err;
  }
  const settled = claim.won;
  if (settled === null) return 'already-decided';
  await effectsOf(deps, settled);
  return outcome.status;
}

async function recordProgress(deps: RemediationJobDeps, requestId: string, p: StepProgress) {
  if (p.status !== 'done') return;
  // A failed or refused write stops the plan: the state must never lag behind the host.
  const stored = await apply(deps, requestId, {
    type: 'step-done',
    step: p.number,
    kind: p.step.kind,
    host: p.step.host,
  });
  if (stored !== 'applied') {
    throw new PortbotError('INTERNAL', `step ${p.number} could not be recorded on ${requestId}`, {
      userFacing: false,
    });
  }
}

async function endLostRun(deps: RemediationJobDeps, request: RemediationRequest) {
  const { plan } = request;
  const scope = lockScope(plan);
  const token = await deps.lock.acquire(scope, deps.lockTtlMs);
  if (token === null) {
    throw new RetryLater(deps.lockTtlMs, `${scope} is still locked by a run of this request`);
  }
  try {
    const outcome = lostRunOutcome(await deps.journal.read(request.state.requestId));
    return await finishOnce(deps, request, outcome);
  } finally {
    await deps.lock.release(scope, token);
  }
}

/**
 * The request's terminal transition, a compare-and-set: the effects to carry out when this call
 * ended the request, null when another run had already ended it (then nothing is written).
 */
async function claimOutcome(
  deps: RemediationJobDeps,
  requestId: string,
  outcome: ExecutionOutcome,
): Promise<Settled | null> {
  const reason = outcome.leftBehind ? `${outcome.reason}. ${outcome.leftBehind}` : outcome.reason;
  const result = await applyApprovalEvent(
    deps.approvals,
    requestId,
    { type: 'finish', outcome: outcome.status, reason },
    deps.approvalContext,
  );
  if (result.kind === 'applied') return { request: result.request, effects: result.effects };
  deps.log.warn(
    {
      requestId,
      status: outcome.status,
      code: outcome.code,
      refusal: result.kind === 'refused' ? result.refusal.code : 'unknown',
    },
    'remediation outcome not recorded: another run already ended the request',
  );
  return null;
}

/** Ends a request outside executePlan: settle first, and only the winner audits and tells. */
async function finishOnce(
  deps: RemediationJobDeps,
  request: RemediationRequest,
  outcome: ExecutionOutcome,
  ctx: ExecutionContext = contextOf(request),
): Promise<RemediationJobResult> {
  const settled = await claimOutcome(deps, request.state.requestId, outcome);
  if (settled === null) return 'already-decided';
  try {
    await deps.audit.append(outcomeAuditEvent(request.plan, ctx, outcome));
  } finally {
    await effectsOf(deps, settled);
  }
  return outcome.status;
}

interface Settled {
  request: RemediationRequest;
  effects: ApprovalEffect[];
}

/**
 * Carries out a stored transition's effects. Slack failures are already absorbed there; what is
 * left (the audit of the state change failing) is logged, not thrown.
 */
async function effectsOf(
  deps: RemediationJobDeps,
  { request, effects }: Settled,
  event: ApprovalEvent['type'] = 'finish',
) {
  try {
    await carryOutApprovalEffects(deps.effects, request, effects);
  } catch (err) {
    deps.log.error(
      {
        requestId: request.state.requestId,
        incidentId: request.state.incidentId,
        event,
        err: errorMessage(err),
      },
      'remediation state change effects failed',
    );
  }
}

/**
 * Applies a system event and carries out its effects (message update, requester notice). Slack
 * failing must not stop a plan half-way (the VIP may be on the peer): it is logged, not thrown.
 */
async function apply(
  deps: RemediationJobDeps,
  requestId: string,
  event: ApprovalEvent,
): Promise<'applied' | 'refused'> {
  const result = await applyApprovalEvent(deps.approvals, requestId, event, deps.approvalContext);
  if (result.kind !== 'applied') {
    deps.log.warn(
      {
        requestId,
        event: event.type,
        refusal: result.kind === 'refused' ? result.refusal.code : 'unknown',
      },
      'remediation state change refused',
    );
    return 'refused';
  }
  await effectsOf(deps, result, event.type);
  return 'applied';
}

/**
 * The freshness and once-only checks that need no state Redis: the signed expiry, then the audit
 * log (possibly its own Redis) for an earlier start of this request; then records this start
 * there. A run the audit log cannot record does not begin (no intent, no run).
 */
async function refuseStart(
  deps: RemediationJobDeps,
  { state, plan }: RemediationRequest,
): Promise<ExecutionOutcome | null> {
  const { requestId, expiresAt, requestedAt } = state;
  // Both are signed: verifyApprovedRequest checked the request MAC over them.
  if (expiresAt === null || requestedAt === null) return null;
  const expired = startRefusal(expiresAt, deps.now(), null);
  if (expired) return expired;
  try {
    let earlier: AuditEvent | null = null;
    for await (const e of deps.audit.read({
      since: new Date(requestedAt - EARLIER_RUN_SLACK_MS),
    })) {
      if (isEarlierRun(e, requestId)) {
        earlier = e;
        break;
      }
    }
    if (earlier) return startRefusal(expiresAt, deps.now(), earlier);
    await deps.audit.append({
      type: EXECUTION_STARTED_EVENT,
      actor: 'system',
      incidentId: state.incidentId,
      host: plan.host,
      port: plan.port,
      detail: { requestId, action: plan.action },
    });
  } catch (err) {
    deps.log.error(
      { requestId, err: errorMessage(err) },
      'remediation start not checked in the audit log',
    );
    return {
      status: 'aborted',
      code: 'audit-unavailable',
      reason: `the audit log could not be read or written before the first step: nothing was run (ref ${requestId})`,
      lastCompletedStep: null,
      leftBehind: null,
    };
  }
  return null;
}
