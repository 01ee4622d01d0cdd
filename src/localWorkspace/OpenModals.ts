import { randomBytes } from 'node:crypto';
import type { RecordedCall } from '../localSlack/localSlackTypes';
import type { OpenModal } from './view/buildSnapshot';
import { obj, parseJson, str } from './view/jsonShape';

/** Trigger ids remembered to match views.open to the user who clicked; recent ones suffice. */
const TRIGGERS_KEPT = 1000;

/**
 * Which modal each user has open. Slack opens a modal for the person whose click carried the
 * trigger id: the page makes every trigger id, so a views.open call names its user.
 */
export class OpenModals {
  private readonly modals = new Map<string, OpenModal>();
  private readonly triggers = new Map<string, string>();

  constructor(private readonly now: () => number) {}

  newTrigger(user: string): string {
    const trigger = `${this.now()}.${randomBytes(6).toString('hex')}.local`;
    this.triggers.set(trigger, user);
    if (this.triggers.size > TRIGGERS_KEPT) {
      const oldest = this.triggers.keys().next().value;
      if (oldest !== undefined) this.triggers.delete(oldest);
    }
    return trigger;
  }

  /** views.open for a trigger the page made: the modal opens for the user who clicked. */
  noteCall(call: RecordedCall): void {
    if (call.method !== 'views.open' || !call.ok) return;
    const user = this.triggers.get(str(call.params.trigger_id) ?? '');
    const viewId = str(obj(call.response.view)?.id);
    if (!user || !viewId) return;
    const view: unknown =
      typeof call.params.view === 'string' ? parseJson(call.params.view) : call.params.view;
    this.modals.set(user, { viewId, view, errors: {} });
  }

  get(user: string): OpenModal | undefined {
    return this.modals.get(user);
  }

  /** The answer to a submission of `viewId`: closed, or its errors shown; a newer modal stays. */
  settle(user: string, viewId: string, errors: Record<string, string> | null): void {
    const modal = this.modals.get(user);
    if (modal?.viewId !== viewId) return;
    if (errors) this.modals.set(user, { ...modal, errors });
    else this.modals.delete(user);
  }
}
