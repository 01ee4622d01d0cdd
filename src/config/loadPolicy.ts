import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { PortbotError } from '../domain/PortbotError';
import { formatZodIssues } from './formatZodIssues';
import type { Policy } from '../domain/Policy';
import { PolicySchema, READ_ONLY_POLICY } from './PolicySchema';

/** A missing policy file means read-only defaults; a broken one stops start-up with every problem listed. */
export function loadPolicy(file: string): { policy: Policy; source: string } {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { policy: READ_ONLY_POLICY, source: 'built-in read-only' };
    throw new PortbotError('POLICY_INVALID', `${path}: cannot read policy`);
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (err) {
    throw new PortbotError(
      'POLICY_INVALID',
      `${path}: ${(err as Error).message.split('\n')[0] ?? 'bad YAML'}`,
    );
  }
  const parsed = PolicySchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const lines = formatZodIssues(path, parsed.error.issues);
    throw new PortbotError(
      'POLICY_INVALID',
      `invalid policy (${lines.length} problems):\n  ${lines.join('\n  ')}`,
    );
  }
  return { policy: parsed.data, source: path };
}
