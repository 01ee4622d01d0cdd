import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { PortbotError } from '../domain/PortbotError';
import type { ProtectedAgent } from '../domain/ProtectedAgent';
import { formatZodIssues } from './formatZodIssues';
import { ProtectedAgentsFileSchema } from './ProtectedAgentSchema';

/** The file in runbooks/ that lists protected agents; not an LB runbook (loadRunbooks skips it). */
export const PROTECTED_AGENTS_FILE = 'protected-agents.yaml';

/** Reads runbooks/protected-agents.yaml; every problem is listed (RUNBOOK_INVALID). */
export function loadProtectedAgents(runbooksDir: string): ProtectedAgent[] {
  const full = path.join(runbooksDir, PROTECTED_AGENTS_FILE);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    throw new PortbotError('RUNBOOK_INVALID', `${full}: cannot read: ${(err as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `${full}: ${e.message.split('\n')[0] ?? e.code}`);
    throw new PortbotError('RUNBOOK_INVALID', lines.join('\n'));
  }
  const parsed = ProtectedAgentsFileSchema.safeParse(doc.toJS(), { reportInput: true });
  if (!parsed.success)
    throw new PortbotError(
      'RUNBOOK_INVALID',
      formatZodIssues(full, parsed.error.issues).join('\n'),
    );
  return parsed.data.agents.map(toProtectedAgent);
}

/** Schema output to the domain type (an absent description stays absent). */
export function toProtectedAgent(a: {
  name: string;
  programs: string[];
  team: string;
  portFlags: string[];
  description?: string | undefined;
}): ProtectedAgent {
  const { description, ...rest } = a;
  return description === undefined ? rest : { ...rest, description };
}

/** The shipped list with the inventory's entries added; an entry of the same name replaces it. */
export function mergeProtectedAgents(
  shipped: readonly ProtectedAgent[],
  extra: readonly ProtectedAgent[],
): ProtectedAgent[] {
  const names = new Set(extra.map((a) => a.name));
  return [...shipped.filter((a) => !names.has(a.name)), ...extra];
}
