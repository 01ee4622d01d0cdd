import type { ApprovalState } from '../../src/approval/ApprovalState';
import { approvalMacInput, approvalSigner, requestMacInput } from '../../src/approval/approvalMac';

/** The PORTBOT_APPROVAL_KEY of the test suites (serviceEnv passes the same value). */
export const TEST_APPROVAL_KEY = 'test-approval-key-0123456789abcdef0123456789';

export const testSigner = approvalSigner(Buffer.from(TEST_APPROVAL_KEY, 'utf8'));

/** `state` with the MACs serve would have recorded for its requester and approvals. */
export function signedState(
  state: Omit<ApprovalState, 'approvals' | 'requestMac'> & {
    approvals: { userId: string; teamId: string; at: number }[];
  },
): ApprovalState {
  const { requester, requestedAt, expiresAt } = state;
  if (!requester || requestedAt === null || expiresAt === null) throw new Error('not requested');
  return {
    ...state,
    requestMac: testSigner.sign(
      requestMacInput({
        requestId: state.requestId,
        planDigest: state.planDigest,
        requester,
        requestedAt,
        expiresAt,
      }),
    ),
    approvals: state.approvals.map((a) => ({
      ...a,
      mac: testSigner.sign(approvalMacInput(state.requestId, state.planDigest, a)),
    })),
  };
}
