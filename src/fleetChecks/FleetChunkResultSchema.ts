import { z } from 'zod';
import type { FleetChunkResult } from '../diagnosis/fleetDiagnoses';
import { DiagnosisSchema } from '../incidents/DiagnosisSchema';

/**
 * A fleet-check child job's return value as the parent reads it back from BullMQ: checked, not
 * cast, so a result written by another version (or damaged) is reported instead of trusted.
 */
export const FleetChunkResultSchema = z.object({
  chunk: z.number().int().nonnegative(),
  diagnoses: z.array(DiagnosisSchema),
}) satisfies z.ZodType<FleetChunkResult, unknown>;
