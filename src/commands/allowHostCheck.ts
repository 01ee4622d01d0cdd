import { renderError } from '../render/slack/renderError';
import type { RecordAudit } from '../audit/recordAudit';
import type { IncidentStore } from '../incidents/Incident';

/** Single-host checks one person may start per window (each opens one SSH session). */
export const HOST_CHECKS_PER_WINDOW = 6;
export const HOST_CHECK_WINDOW_MS = 60_000;

const reason = `at most ${HOST_CHECKS_PER_WINDOW} single-host checks per person every ${HOST_CHECK_WINDOW_MS / 1000} s`;

export const HOST_CHECK_LIMITED = renderError(
  `Not now: ${reason}.`,
  'Wait a minute, or follow the threads of the checks already running.',
);

/**
 * The fleet-check cooldown's claim, made N-fold: a person holds up to N slots, each freed when
 * its claim expires, so a scripted loop of /port check is bounded while a few retries are not.
 * A refusal is audited here.
 */
export async function allowHostCheck(
  deps: { incidents: Pick<IncidentStore, 'claimOnce'>; audit: RecordAudit },
  req: { userId: string; channelId: string; text: string },
  host: string,
  port: number,
): Promise<boolean> {
  for (let slot = 0; slot < HOST_CHECKS_PER_WINDOW; slot += 1) {
    if (await deps.incidents.claimOnce(`host-check:${req.userId}:${slot}`, HOST_CHECK_WINDOW_MS)) {
      return true;
    }
  }
  await deps.audit({
    type: 'command.refused',
    actor: req.userId,
    incidentId: null,
    host,
    port,
    detail: { channel: req.channelId, text: req.text.slice(0, 300), reason },
  });
  return false;
}
