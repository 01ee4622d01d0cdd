import type { RecordAudit } from '../../src/audit/recordAudit';

/** For unit tests of steps that audit: the audit trail is not what they check. */
export const noAudit: RecordAudit = () => Promise.resolve();
