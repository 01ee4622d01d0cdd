import type { z } from 'zod';
import { describeValue } from '../../validation/describeValue';
import { formatIssuePath } from '../../validation/formatIssuePath';

const SHOWN = 5;

/**
 * `alerts[3].labels.host: expected a string label value, got 42; …`: enough for whoever
 * configured the sender to find the field, bounded so a 10k-alert payload gives a short answer.
 */
export function formatPayloadIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, SHOWN).map((issue) => {
    const where = formatIssuePath(issue.path);
    // zod reports a missing field as whatever check ran first (type, enum, union): say "missing"
    if ('input' in issue && issue.input === undefined) {
      return `${where}: missing; ${issue.message}`;
    }
    const got = 'input' in issue ? `, got ${describeValue(issue.input)}` : '';
    return `${where}: ${issue.message}${got}`;
  });
  const more = issues.length - SHOWN;
  if (more > 0) lines.push(`and ${more} more problem${more > 1 ? 's' : ''}`);
  return lines.join('; ');
}
