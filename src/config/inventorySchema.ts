import { z } from 'zod';
import { ProtectedAgentSchema } from './ProtectedAgentSchema';
import { isIpAddress } from '../domain/isIpAddress';
import { INVENTORY_NAME } from '../domain/isInventoryName';
import { UNIT_NAME } from '../domain/isUnitName';

// IPv4, IPv6 (no zone) or a DNS name: nothing a shell or ssh option parser could misread.
const ADDRESS = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45})$/;
const SHA256_PIN = /^SHA256:[A-Za-z0-9+/]{43}$/;

const name = (what: string) =>
  z.string({ error: `expected a ${what} name` }).regex(INVENTORY_NAME, {
    error: `expected a ${what} name of letters, digits, '.', '_' or '-' (max 63)`,
  });
const port = z
  .number({ error: 'expected integer 1-65535' })
  .int({ error: 'expected integer 1-65535' })
  .min(1, { error: 'expected integer 1-65535' })
  .max(65535, { error: 'expected integer 1-65535' });
const timeoutMs = z
  .number({ error: 'expected milliseconds (integer 100-600000)' })
  .int({ error: 'expected milliseconds (integer 100-600000)' })
  .min(100, { error: 'expected milliseconds (integer 100-600000)' })
  .max(600000, { error: 'expected milliseconds (integer 100-600000)' });
const windowMinutes = z
  .number({ error: 'expected minutes (integer 1-525600)' })
  .int({ error: 'expected minutes (integer 1-525600)' })
  .min(1, { error: 'expected minutes (integer 1-525600)' })
  .max(525600, { error: 'expected minutes (integer 1-525600)' });
const path = z.string({ error: 'expected a file path' }).min(1, { error: 'expected a file path' });
const command = z.string({ error: 'expected a command' }).min(1, { error: 'expected a command' });

/** SSH settings a host may inherit from `defaults` or set itself. */
const SshSettings = {
  user: z.string({ error: 'expected a user name' }).regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, {
    error: 'expected a user name',
  }),
  sudo: z.boolean({ error: 'expected true or false' }),
  privateKeyPath: path,
  passphraseEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'expected an env var name' }),
  agentSocket: path,
  knownHostsPath: path,
  connectTimeoutMs: timeoutMs,
  commandTimeoutMs: timeoutMs,
};

export const RemediationCredentialSchema = z.strictObject({
  user: SshSettings.user,
  privateKeyPath: path,
  sudo: SshSettings.sudo.optional(),
});

export const DefaultsSchema = z
  .strictObject({
    ...SshSettings,
    remediation: RemediationCredentialSchema,
    bindErrorWindowMinutes: windowMinutes,
  })
  .partial();

export const LbCommandsSchema = z
  .strictObject({
    configTest: command,
    start: command,
    reload: command,
    restart: command,
    stop: command,
  })
  .partial();

export const LbSchema = z.strictObject({
  kind: z.string({ error: 'expected an LB kind' }),
  pidFile: path.optional(),
  errorLog: path.optional(),
  unit: z.string().regex(UNIT_NAME, { error: 'expected a systemd unit name' }).optional(),
  configFile: path.optional(),
  commands: LbCommandsSchema.optional(),
  ports: z.array(port, { error: 'expected a list of ports' }).min(1).optional(),
});

export const HostSchema = z.strictObject({
  name: name('host'),
  address: z.string({ error: 'expected an IP address or DNS name' }).regex(ADDRESS, {
    error: 'expected an IP address or DNS name',
  }),
  port: port.optional(),
  hostKey: z
    .string()
    .regex(SHA256_PIN, { error: "expected 'SHA256:' and 43 base64 characters" })
    .optional(),
  labels: z.record(z.string(), z.string({ error: 'expected a string label value' })).optional(),
  lb: LbSchema.optional(),
  haGroup: name('haGroup').optional(),
  bindErrorWindowMinutes: windowMinutes.optional(),
  ...z.object(SshSettings).partial().shape,
});

export const HaGroupSchema = z.strictObject({
  name: name('haGroup'),
  kind: z.literal('keepalived', { error: "expected 'keepalived'" }),
  // The probes look the VIP up with `ip addr show to VIP`, which takes no DNS name.
  vip: z
    .string({ error: 'expected an IP address (IPv4 or IPv6)' })
    .refine(isIpAddress, { error: 'expected an IP address (IPv4 or IPv6), not a DNS name' }),
  members: z.array(name('host'), { error: 'expected a list of host names' }).min(1),
  commands: z.strictObject({ demote: command, promote: command }).partial().optional(),
});

export const InventoryFileSchema = z.strictObject({
  defaults: DefaultsSchema.optional(),
  hosts: z.array(HostSchema, { error: 'expected a list of hosts' }),
  haGroups: z.array(HaGroupSchema, { error: 'expected a list of haGroups' }).optional(),
  protectedAgents: z
    .array(ProtectedAgentSchema, { error: 'expected a list of protected agents' })
    .optional(),
});

export type InventoryFile = z.infer<typeof InventoryFileSchema>;
