import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { PortbotError } from '../domain/PortbotError';
import type { Runbook } from '../domain/Runbook';
import { formatZodIssues } from './formatZodIssues';
import { PROTECTED_AGENTS_FILE } from './loadProtectedAgents';
import { RunbookSchema } from './runbookSchema';

/**
 * The repository's runbooks/ folder. Code runs from src/config (jest, ts-node) and from
 * dist/config (after tsc), so walk up to the folder that holds package.json and runbooks/.
 */
export function defaultRunbooksDir(fromDir: string = __dirname): string {
  let dir = path.resolve(fromDir);
  for (;;) {
    const candidate = path.join(dir, 'runbooks');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new PortbotError('RUNBOOK_INVALID', `no runbooks/ folder above ${fromDir}`);
    dir = parent;
  }
}

/**
 * Reads every runbooks/*.yaml, keyed by kind. Collects every problem in every file before
 * failing, so an operator fixes them in one pass.
 */
export function loadRunbooks(dir: string): Map<string, Runbook> {
  const problems: string[] = [];
  const runbooks = new Map<string, Runbook>();
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f) && f !== PROTECTED_AGENTS_FILE)
      .sort();
  } catch (err) {
    problems.push(`${dir}: cannot read folder: ${(err as Error).message}`);
  }
  if (files.length === 0 && problems.length === 0)
    problems.push(`${dir}: no *.yaml runbooks found`);

  for (const file of files) {
    const full = path.join(dir, file);
    const runbook = loadOne(full, problems);
    if (!runbook) continue;
    const stem = file.replace(/\.ya?ml$/, '');
    if (runbook.kind !== stem) {
      problems.push(`${full}: kind: "${runbook.kind}" must match the file name "${stem}"`);
      continue;
    }
    if (runbooks.has(runbook.kind)) {
      problems.push(`${full}: kind: "${runbook.kind}" is defined twice`);
      continue;
    }
    runbooks.set(runbook.kind, runbook);
  }

  if (problems.length > 0) {
    throw new PortbotError(
      'RUNBOOK_INVALID',
      `invalid runbooks (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return runbooks;
}

function loadOne(full: string, problems: string[]): Runbook | null {
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    problems.push(`${full}: cannot read: ${(err as Error).message}`);
    return null;
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const message =
        e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? e.code;
      problems.push(`${full}:${e.linePos?.[0]?.line ?? '?'}: ${message}`);
    }
    return null;
  }
  const parsed = RunbookSchema.safeParse(doc.toJS(), { reportInput: true });
  if (!parsed.success) {
    problems.push(...formatZodIssues(full, parsed.error.issues));
    return null;
  }
  return parsed.data;
}
