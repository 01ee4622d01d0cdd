import { PortbotError } from '../domain/PortbotError';
import { EnvConfigSchema, type EnvConfig } from './EnvConfigSchema';

/**
 * Validates the environment, listing every problem at once. Values are never echoed back:
 * several of these variables are secrets.
 */
export function loadEnvConfig(env: Readonly<Record<string, string | undefined>>): EnvConfig {
  // An empty variable means "unset", as in most shells' `FOO= portbot serve`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (i) => `${i.path.join('.') || '(environment)'}: ${i.message}`,
  );
  throw new PortbotError(
    'CONFIG_INVALID',
    `invalid configuration (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`,
  );
}
