import { z } from 'zod';
import type { Runbook } from '../domain/Runbook';

const absolutePath = z
  .string()
  .min(1)
  .refine((p) => p.startsWith('/'), { message: 'must be an absolute path (start with /)' });

const command = z.string().trim().min(1, { message: 'must be a non-empty command' });

/**
 * A bind-failure pattern: it must compile and carry an `address` named group, because the
 * diagnosis compares the port in that group with the port being diagnosed.
 */
const logPattern = z.string().superRefine((source, ctx) => {
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `does not compile: ${(err as Error).message}` });
    return;
  }
  // An alternation with the empty string always matches, which exposes every named group.
  const groups = new RegExp(`${re.source}|`).exec('')?.groups ?? {};
  if (!('address' in groups)) {
    ctx.addIssue({
      code: 'custom',
      message: 'needs a named group (?<address>...) holding address:port',
    });
  }
});

export const RunbookSchema = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, { message: 'must be a lower-case name like nginx' }),
    binary: absolutePath,
    programs: z.array(z.string().min(1)).min(1, { message: 'must list at least one program name' }),
    pidFile: absolutePath,
    unit: z.string().min(1),
    configFile: absolutePath,
    errorLog: absolutePath,
    logPatterns: z
      .object({
        addressInUse: logPattern,
        permissionDenied: logPattern,
        addressNotAvailable: logPattern,
      })
      .strict(),
    configListen: z.enum(['nginx-listen', 'haproxy-bind']),
    commands: z
      .object({
        configTest: command,
        start: command,
        reload: command,
        restart: command,
        stop: command,
      })
      .strict(),
  })
  // Unknown keys are almost always typos (pidfile, errorlog): reject them rather than ignore them.
  .strict() satisfies z.ZodType<Runbook>;

export type RunbookSchemaOutput = z.infer<typeof RunbookSchema>;
