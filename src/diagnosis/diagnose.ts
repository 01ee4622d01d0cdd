import type { Diagnosis, Finding } from '../domain/diagnosis';
import { PortbotError } from '../domain/PortbotError';
import { buildContext, type DiagnoseInput } from './buildContext';
import { collectFindings } from './collectFindings';
import { derivedEvidence } from './pickEvidence';
import { orderedRules } from './rules/orderedRules';

export type { DiagnoseInput } from './buildContext';

/** Pure: probe results in, a Diagnosis out (docs/reference/diagnosis-json.md); the first rule wins. */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const ctx = buildContext(input);
  for (const rule of orderedRules) {
    const result = rule.evaluate(ctx);
    if (!result) continue;
    const findings = dedupe([
      ...(result.findings ?? []),
      ...collectFindings(ctx, result.verdict, result.occupant),
    ]);
    return {
      host: input.host.name,
      port: input.port,
      verdict: result.verdict,
      summary: result.summary,
      occupant: result.occupant,
      lb: ctx.lbState,
      ha: ctx.ha,
      findings,
      evidence:
        result.evidence.length > 0
          ? result.evidence
          : [derivedEvidence(result.verdict, result.summary)],
      actions: result.actions,
      durationMs: input.durationMs,
      failure: null,
    };
  }
  // The last rules cover "no listener" with and without an LB, so this means a rule has a gap.
  throw new PortbotError('INTERNAL', `no verdict applied to ${input.host.name}:${input.port}`, {
    userFacing: false,
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
