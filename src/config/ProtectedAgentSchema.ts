import { z } from 'zod';

const flag = z
  .string({ error: 'expected a command-line flag' })
  .regex(/^-{1,2}[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    error: 'expected a flag like --web.listen-address or -P',
  });

export const ProtectedAgentSchema = z.strictObject({
  name: z.string({ error: 'expected the agent name' }).min(1).max(64),
  programs: z
    .array(z.string().regex(/^[^/\s]{1,64}$/, { error: 'expected a process or file name' }), {
      error: 'expected a list of process names',
    })
    .min(1),
  team: z.string({ error: 'expected the owning team' }).min(1).max(120),
  portFlags: z.array(flag, { error: 'expected a list of flags' }).default([]),
  description: z.string().max(200).optional(),
});

export const ProtectedAgentsFileSchema = z.strictObject({
  agents: z.array(ProtectedAgentSchema, { error: 'expected a list of agents' }),
});
