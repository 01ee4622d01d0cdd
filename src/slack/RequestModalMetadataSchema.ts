import { z } from 'zod';
import { REMEDIATION_ACTIONS } from '../remediation/RemediationPlan';
import type { RequestModalMetadata } from '../render/slack/renderRequestModal';

/** The request modal's private_metadata, as renderRequestModal wrote it. */
export const RequestModalMetadataSchema = z.strictObject({
  incidentId: z.string().min(1).max(200),
  action: z.enum(REMEDIATION_ACTIONS),
}) satisfies z.ZodType<RequestModalMetadata>;
