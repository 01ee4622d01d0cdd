import type { RecordedCall } from '../../../src/localSlack/localSlackTypes';
import { OpenModals } from '../../../src/localWorkspace/OpenModals';

const viewsOpen = (trigger: string, viewId: string, ok = true): RecordedCall => ({
  seq: 1,
  method: 'views.open',
  params: { trigger_id: trigger, view: JSON.stringify({ type: 'modal', callback_id: 'cb' }) },
  at: 0,
  status: 200,
  ok,
  response: ok ? { ok: true, view: { id: viewId } } : { ok: false, error: 'invalid_arguments' },
});

describe('OpenModals', () => {
  it('opens a modal for the user whose click made the trigger, and no one else', () => {
    const modals = new OpenModals(() => 1000);
    const alice = modals.newTrigger('U0ALICE');
    const bob = modals.newTrigger('U0BOB');
    expect(alice).not.toBe(bob);
    modals.noteCall(viewsOpen(alice, 'V1'));
    expect(modals.get('U0ALICE')).toEqual({
      viewId: 'V1',
      view: { type: 'modal', callback_id: 'cb' },
      errors: {},
    });
    expect(modals.get('U0BOB')).toBeUndefined();
    modals.noteCall(viewsOpen('not-ours', 'V2'));
    modals.noteCall(viewsOpen(bob, 'V3', false));
    expect(modals.get('U0BOB')).toBeUndefined();
  });

  it('shows errors, closes on success, and leaves a newer modal alone', () => {
    const modals = new OpenModals(() => 1000);
    modals.noteCall(viewsOpen(modals.newTrigger('U0ALICE'), 'V1'));
    modals.settle('U0ALICE', 'V1', { reason: 'say why' });
    expect(modals.get('U0ALICE')?.errors).toEqual({ reason: 'say why' });
    modals.settle('U0ALICE', 'V0', null);
    expect(modals.get('U0ALICE')?.viewId).toBe('V1');
    modals.settle('U0ALICE', 'V1', null);
    expect(modals.get('U0ALICE')).toBeUndefined();
  });
});
