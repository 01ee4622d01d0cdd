import { z } from 'zod';
import type { Diagnosis } from '../domain/diagnosis';
import { SSH_FAILURE_CODES } from '../domain/sshErrorCodes';
import { ACTION_KINDS, VERDICTS } from '../domain/verdict';

const nullableString = z.string().nullable();
const nullableInt = z.number().int().nullable();

const OccupantSchema = z.object({
  pid: z.number().int(),
  ppid: nullableInt,
  user: nullableString,
  uid: nullableInt,
  comm: z.string(),
  cmdline: nullableString,
  exe: nullableString,
  startedAt: nullableString,
  startTicks: nullableInt,
  socketState: z.string(),
  localAddress: z.string(),
  unit: nullableString,
  container: nullableString,
});

/**
 * A stored diagnosis, checked when it is read back from Redis. `failure` arrived after the first
 * release: diagnoses saved before it read as `failure: null`.
 */
export const DiagnosisSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  verdict: z.enum(VERDICTS),
  summary: z.string(),
  occupant: OccupantSchema.nullable(),
  lb: z
    .object({ kind: z.string(), running: z.boolean(), pid: nullableInt, listening: z.boolean() })
    .nullable(),
  ha: z
    .object({
      group: z.string(),
      role: z.enum(['MASTER', 'BACKUP', 'FAULT', 'UNKNOWN']),
      vip: z.string(),
      holdsVip: z.boolean(),
    })
    .nullable(),
  findings: z.array(z.object({ code: z.string(), detail: z.string() })),
  evidence: z.array(z.object({ probe: z.string(), command: z.string(), output: z.string() })),
  actions: z.array(
    z.object({
      kind: z.enum(ACTION_KINDS),
      risk: z.enum(['none', 'low', 'medium', 'high']),
      title: z.string(),
      detail: z.string().exactOptional(),
    }),
  ),
  durationMs: z.number(),
  failure: z
    .object({
      code: z.enum([...SSH_FAILURE_CODES, 'PROBE_FAILED']),
      transient: z.boolean(),
    })
    .nullable()
    .default(null),
}) satisfies z.ZodType<Diagnosis, unknown>;
