import { z } from 'zod';
import { CHECK_NAMES, CHECK_STATUSES, type DoctorReport } from '../doctor/DoctorCheck';

/** The `portbot doctor --json` output (docs/reference/cli.md), for scripts that read it. */
export const DoctorReportSchema: z.ZodType<DoctorReport> = z
  .object({
    passed: z.boolean(),
    summary: z
      .object({
        ok: z.number().int().min(0),
        warn: z.number().int().min(0),
        fail: z.number().int().min(0),
      })
      .strict(),
    checks: z.array(
      z
        .object({
          check: z.enum(CHECK_NAMES),
          target: z.string().nullable(),
          status: z.enum(CHECK_STATUSES),
          detail: z.string(),
          fix: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
