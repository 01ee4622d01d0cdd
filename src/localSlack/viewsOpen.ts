import { randomBytes } from 'node:crypto';
import { checkBlockKitLimits } from '../render/slack/checkBlockKitLimits';
import type { MethodHandler } from './MethodHandler';
import { apiError, str } from './MethodHandler';

/**
 * views.open: a modal in answer to a click. The local Slack has no screen; it checks what Slack
 * would refuse and records the call, which tests read back (and submit with a view_submission).
 */
export const viewsOpen: MethodHandler = (p) => {
  if (!str(p.trigger_id)) return apiError('invalid_arguments');
  let view: unknown = p.view;
  if (typeof view === 'string') {
    try {
      view = JSON.parse(view) as unknown;
    } catch {
      return apiError('invalid_arguments');
    }
  }
  if (typeof view !== 'object' || view === null || !('blocks' in view)) {
    return apiError('invalid_arguments');
  }
  const problems = checkBlockKitLimits(view.blocks);
  if (problems.length > 0) return apiError('invalid_blocks');
  return { ok: true, view: { ...view, id: `V${randomBytes(5).toString('hex').toUpperCase()}` } };
};
