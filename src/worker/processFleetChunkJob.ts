import type { Diagnosis } from '../domain/diagnosis';
import { describeFleetScope } from '../domain/FleetScope';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import { errorMessage } from '../domain/errorMessage';
import type { FleetChunkResult } from '../diagnosis/fleetDiagnoses';
import type { FleetCheckStore } from '../fleetChecks/FleetCheck';
import { renderDiagnosingMessage } from '../render/slack/renderDiagnosingMessage';
import type { SlackHistory, SlackPoster } from '../slack/SlackPoster';
import { ensureRoot } from './ensureRoot';

export interface FleetChunkJobDeps {
  checks: FleetCheckStore;
  slack: SlackPoster;
  history: SlackHistory;
  diagnose: (host: string, port: number) => Promise<Diagnosis>;
  log: Log;
}

/**
 * One child of a fleet check: diagnoses its chunk of hosts and returns the diagnoses as the job's
 * result, for the parent to summarise. Chunk 0 also posts the "diagnosing…" root early, so people
 * see the check started while the chunks run; it is best effort (the parent ensures the root
 * anyway), so a Slack outage never costs a chunk its attempts and its hosts their diagnoses.
 */
export async function processFleetChunkJob(
  deps: FleetChunkJobDeps,
  input: { checkId: string; chunk: number; hosts: readonly string[] },
): Promise<FleetChunkResult> {
  const check = await deps.checks.get(input.checkId);
  if (!check)
    throw new PortbotError('INTERNAL', `fleet check ${input.checkId} not found`, {
      userFacing: false,
    });
  const earlyRoot = async (): Promise<void> => {
    if (input.chunk !== 0 || check.rootTs !== null) return;
    try {
      await ensureRoot(
        { store: deps.checks, slack: deps.slack, history: deps.history, log: deps.log },
        check,
        renderDiagnosingMessage({
          host: describeFleetScope(check.scope),
          port: check.port,
          source: 'command',
          requestedBy: check.requestedBy,
        }),
      );
    } catch (err) {
      deps.log.warn(
        { fleetCheckId: check.id, err: errorMessage(err) },
        'fleet check root not posted early; the summary job posts it',
      );
    }
  };
  // Unreachable hosts come back as diagnoses; only a bug rejects, and then the job retries.
  const [diagnoses] = await Promise.all([
    Promise.all(input.hosts.map((h) => deps.diagnose(h, check.port))),
    earlyRoot(),
  ]);
  return { chunk: input.chunk, diagnoses };
}
