/** The people of the demo's local workspace, as the policy names them (the page's user switcher). */
export const DEMO_USERS = {
  requester: 'U0ALICE',
  approver: 'U0BOB',
  auditor: 'U0CAROL',
  outsider: 'U0MALLORY',
} as const;

/**
 * The demo's policy: everyone may run /port, Alice may ask for a fix, Bob approves it (one
 * approval is enough, on the VIP holder too, so one person can play both roles in turn), Carol
 * may export the audit log; Mallory is named nowhere.
 */
export function demoPolicyYaml(): string {
  const u = DEMO_USERS;
  return [
    '# portbot demo policy (written by npm run demo for this run only)',
    'commands: { channels: ["*"], users: ["*"] }',
    'remediation:',
    `  requesters: { users: ["${u.requester}"] }`,
    `  approvers: { users: ["${u.approver}"] }`,
    '  approvals: { default: 1, vipHolder: 1 }',
    '  expiryMinutes: 30',
    `auditors: { users: ["${u.auditor}"] }`,
    '',
  ].join('\n');
}
