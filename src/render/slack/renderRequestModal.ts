import { MAX_REASON, MIN_VISIBLE } from '../../approval/checkReason';
import type { RemediationAction, RemediationPlan } from '../../remediation/RemediationPlan';
import { context, plainText, section } from './blocks';
import { escapeMrkdwn } from './escapeMrkdwn';
import type { ModalView } from './modalTypes';
import { planHeadline } from './planHeadline';
import { planStepLines } from './planStepLines';
import { REASON_ACTION_ID, REASON_BLOCK_ID, REQUEST_MODAL_CALLBACK_ID } from './remediationIds';

/** What the modal carries to its submission: the server re-plans from these, trusting no more. */
export interface RequestModalMetadata {
  incidentId: string;
  action: RemediationAction;
}

/** The request modal: the plan as it stands now and a required reason. */
export function renderRequestModal(plan: RemediationPlan, meta: RequestModalMetadata): ModalView {
  const metadata: RequestModalMetadata = { incidentId: meta.incidentId, action: meta.action };
  return {
    type: 'modal',
    callback_id: REQUEST_MODAL_CALLBACK_ID,
    title: plainText('Request remediation', 24),
    submit: plainText('Request approval', 24),
    close: plainText('Cancel', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(planHeadline(plan)),
      section(planStepLines(plan, 2800)),
      context(
        escapeMrkdwn(
          'Nothing runs until an approver confirms. The target is re-checked right before each step; if it changed, the plan stops.',
        ),
      ),
      {
        type: 'input',
        block_id: REASON_BLOCK_ID,
        label: plainText('Reason (kept in the audit log)', 2000),
        element: {
          type: 'plain_text_input',
          action_id: REASON_ACTION_ID,
          // One line: the reason is shown on the requester's line of the approval message.
          multiline: false,
          min_length: MIN_VISIBLE,
          max_length: MAX_REASON,
        },
      },
    ],
  };
}
