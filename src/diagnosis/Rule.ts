import type { Action, Evidence, Finding, Occupant } from '../domain/diagnosis';
import type { Verdict } from '../domain/verdict';
import type { DiagnosisContext } from './buildContext';

export interface RuleResult {
  verdict: Verdict;
  summary: string;
  occupant: Occupant | null;
  /** The lines of probe output this verdict rests on (never empty). */
  evidence: Evidence[];
  actions: Action[];
  /** Facts the rule found beside its verdict (merged with the general findings). */
  findings?: Finding[];
}

/** One verdict of docs/reference/verdicts.md: returns null when it does not apply. */
export interface Rule {
  verdict: Verdict;
  evaluate(ctx: DiagnosisContext): RuleResult | null;
}
