import { z } from 'zod';
import { REMEDIATION_ACTIONS } from '../../remediation/RemediationPlan';

const FourTupleSchema = z.strictObject({
  localIp: z.string(),
  localPort: z.number().int(),
  peerIp: z.string(),
  peerPort: z.number().int(),
});

const TargetIdentitySchema = z.strictObject({
  pid: z.number().int(),
  startTicks: z.number(),
  exe: z.string(),
  uid: z.number().int(),
  // Plans stored before the command line was recorded: they no longer hash to their digest.
  cmdline: z.string().nullable().default(null),
});

const PortRangeSchema = z.strictObject({ from: z.number().int(), to: z.number().int() });

const CheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exit-zero') }),
  TargetIdentitySchema.extend({
    kind: z.literal('occupant-is'),
    host: z.string(),
    port: z.number().int(),
  }),
  z.strictObject({
    kind: z.literal('port-free'),
    host: z.string(),
    port: z.number().int(),
    withinMs: z.number(),
  }),
  z.strictObject({
    kind: z.literal('lb-listening'),
    host: z.string(),
    port: z.number().int(),
    withinMs: z.number(),
  }),
  z.strictObject({ kind: z.literal('vip-not-on'), host: z.string(), vip: z.string() }),
  z.strictObject({
    kind: z.literal('vip-moved'),
    from: z.string(),
    to: z.array(z.string()),
    vip: z.string(),
    withinMs: z.number(),
  }),
  z.strictObject({
    kind: z.literal('vip-held-once'),
    by: z.array(z.string()),
    vip: z.string(),
    withinMs: z.number(),
  }),
  z.strictObject({
    kind: z.literal('reserved-ports-are'),
    host: z.string(),
    ranges: z.array(PortRangeSchema),
  }),
  z.strictObject({ kind: z.literal('port-reserved'), host: z.string(), port: z.number().int() }),
  z.strictObject({
    kind: z.literal('connection-gone'),
    host: z.string(),
    connection: FourTupleSchema,
  }),
]);

const PlanStepSchema = z.strictObject({
  host: z.string(),
  kind: z.enum([
    'recheck-target',
    'config-test',
    'verify-peer',
    'demote',
    'wait-vip-moved',
    'signal',
    'wait-port-free',
    'start-lb',
    'reload-lb',
    'restart-lb',
    'verify-listening',
    'promote',
    'verify-vip',
    'reserve-port',
    'persist-reserved-ports',
    'close-connection',
  ]),
  command: z.string(),
  mutating: z.boolean(),
  precondition: z.array(CheckSchema),
  verification: z.array(CheckSchema),
  why: z.string(),
  ifFails: z.string(),
});

/** RemediationPlan as read back from Redis: the steps the approvers saw, checked. */
export const RemediationPlanSchema = z.strictObject({
  host: z.string(),
  port: z.number().int(),
  action: z.enum(REMEDIATION_ACTIONS),
  approvalClass: z.enum(['default', 'vip-holder', 'outage']),
  target: TargetIdentitySchema.nullable(),
  ha: z
    .strictObject({
      group: z.string(),
      vip: z.string(),
      vipHolder: z.string().nullable(),
      peers: z.array(z.string()),
    })
    .nullable(),
  steps: z.array(PlanStepSchema),
});
