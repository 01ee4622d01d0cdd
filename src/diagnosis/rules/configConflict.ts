import type { Evidence } from '../../domain/diagnosis';
import { adviceAction } from '../actions';
import type { DiagnosisContext } from '../buildContext';
import { findDuplicateListens } from '../findDuplicateListens';
import { derivedEvidence, pickEvidence, pickEvidenceMatching } from '../pickEvidence';
import type { Rule } from '../Rule';
import { portOf } from '../../probes/normalizeListen';

/** Addresses on this port that the LB config declares twice. */
export function duplicateListensOnPort(ctx: DiagnosisContext): string[] {
  if (!ctx.lb?.probe) return [];
  return findDuplicateListens(ctx.lb.probe.configListens).filter((a) => portOf(a) === ctx.port);
}

export const configConflict: Rule = {
  verdict: 'config-conflict',
  evaluate(ctx) {
    if (!ctx.lb?.probe) return null;
    const { kind, commands } = ctx.lb.runbook;
    const test = ctx.lb.probe.configTest;
    const dups = duplicateListensOnPort(ctx);
    const failed = test !== null && test.exitCode !== 0;
    if (!failed && dups.length === 0) return null;

    const evidence: Evidence[] = [];
    const reasons: string[] = [];
    if (failed) {
      reasons.push(`its config test fails (${commands.configTest} exited ${test.exitCode})`);
      // The probe records the test under its own command line; fall back to the parsed output.
      const outputLines = test.output.split('\n').filter((l) => l.trim() !== '');
      const picked = pickEvidence(ctx.probes, outputLines);
      evidence.push(
        ...(picked.length > 0
          ? picked
          : [{ probe: 'config-test', command: commands.configTest, output: test.output }]),
      );
    }
    if (dups.length > 0) {
      reasons.push(`its config declares ${dups.join(', ')} twice`);
      const directives = pickEvidenceMatching(
        ctx.probes,
        new RegExp(`^\\s*(listen|bind)\\s.*\\b${ctx.port}\\b`),
      );
      evidence.push(
        ...(directives.length > 0
          ? directives
          : [derivedEvidence('config-listens', ctx.lb.probe.configListens.join('\n'))]),
      );
    }
    const serving = ctx.lbState?.listening
      ? `; ${kind} keeps serving its previous config until then`
      : '';
    return {
      verdict: 'config-conflict',
      summary: `${kind} on ${ctx.hostName} will not (re)start: ${reasons.join(' and ')}${serving}`,
      occupant: null,
      evidence,
      actions: [
        adviceAction(
          `Fix the ${kind} config on ${ctx.hostName}`,
          `Run ${commands.configTest} on ${ctx.hostName}, fix what it reports${dups.length > 0 ? ` and remove the duplicate ${dups.join(', ')}` : ''}, then reload. ` +
            `Do not restart while the test fails: ${kind} would not come back.`,
        ),
      ],
    };
  },
};
