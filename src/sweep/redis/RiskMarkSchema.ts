import { z } from 'zod';
import { SWEEP_RISK_CODES } from '../SweepRisk';

export const RiskMarkSchema = z.object({
  host: z.string(),
  code: z.enum(SWEEP_RISK_CODES),
  port: z.number().int().min(1).max(65535).nullable(),
  state: z.string(),
});

export const RiskMarkListSchema = z.array(RiskMarkSchema);
