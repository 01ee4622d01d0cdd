import type { z } from 'zod';
import { describeValue } from '../validation/describeValue';
import { formatIssuePath } from '../validation/formatIssuePath';

/**
 * One line per problem: `<file>: hosts[2].port: expected integer 1-65535, got 'ssh'`.
 * Custom messages set in the schemas say what is expected; we add what was found.
 */
export function formatZodIssues(file: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const where = formatIssuePath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const at = issue.path.length === 0 ? '' : `${where}: `;
      return `${file}: ${at}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return `${file}: ${where}: missing; ${issue.message}`;
    }
    const got = 'input' in issue ? `, got ${describeValue(issue.input)}` : '';
    return `${file}: ${where}: ${issue.message}${got}`;
  });
}
