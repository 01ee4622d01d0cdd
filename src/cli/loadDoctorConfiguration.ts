import { loadEnvConfig } from '../config/loadEnvConfig';
import type { EnvConfig } from '../config/EnvConfigSchema';
import { withEmbeddedRedisDefault } from '../config/withEmbeddedRedisDefault';
import { loadInventory } from '../config/loadInventory';
import { loadPolicy } from '../config/loadPolicy';
import { defaultRunbooksDir, loadRunbooks } from '../config/loadRunbooks';
import { configCheck, type LoadOutcome } from '../doctor/configCheck';
import type { DoctorCheck } from '../doctor/DoctorCheck';
import type { HostConfig } from '../domain/HostConfig';
import type { Policy } from '../domain/Policy';
import { approvalSignerFor } from '../service/approvalSignerFor';
import type { CliIo } from './CliIo';
import type { DoctorArgs } from './parseDoctorArgs';

export interface LoadedConfiguration {
  checks: DoctorCheck[];
  env: EnvConfig | null;
  policy: Policy | null;
  hosts: HostConfig[];
}

function attempt<T>(load: () => T): { value: T } | { error: string } {
  try {
    return { value: load() };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function outcome<T>(r: { value: T } | { error: string }, describe: (v: T) => string): LoadOutcome {
  return 'value' in r ? { ok: true, detail: describe(r.value) } : { ok: false, error: r.error };
}

/**
 * Environment, runbooks, inventory and policy, each loaded by the loader serve uses. A policy that
 * enables remediation fails without PORTBOT_APPROVAL_KEY, as serve and worker would refuse to start.
 */
export function loadDoctorConfiguration(
  args: Pick<DoctorArgs, 'inventory' | 'policy'>,
  processEnv: CliIo['env'],
): LoadedConfiguration {
  const env = attempt(() => loadEnvConfig(withEmbeddedRedisDefault(processEnv)));
  const runbooks = attempt(() => loadRunbooks(defaultRunbooksDir()));
  const inventoryPath = args.inventory ?? (processEnv.PORTBOT_INVENTORY || 'inventory.yaml');
  const inventory =
    'value' in runbooks
      ? attempt(() => loadInventory(inventoryPath, new Set(runbooks.value.keys())))
      : null;
  const policyPath = args.policy ?? (processEnv.PORTBOT_POLICY || 'policy.yaml');
  const policy = attempt(() => loadPolicy(policyPath));
  // The same rule serve and worker start with, checked only once the environment loaded.
  const signing =
    'value' in policy && 'value' in env
      ? attempt(() => approvalSignerFor(env.value, policy.value.policy))
      : null;

  const checks = [
    configCheck('env', outcome(env, describeEnv)),
    configCheck(
      'runbooks',
      outcome(runbooks, (r) => `${r.size} LB kinds: ${[...r.keys()].sort().join(', ')}`),
    ),
    configCheck(
      'inventory',
      inventory === null
        ? {
            ok: 'not-checked',
            reason: `${inventoryPath} not checked: it names LB kinds, and the runbooks are invalid`,
            fix: 'fix the runbooks first',
          }
        : outcome(
            inventory,
            (i) =>
              `${i.path}: ${count(i.hosts.length, 'host')}, ${count(i.haGroups.length, 'HA group')}`,
          ),
    ),
    configCheck(
      'policy',
      signing !== null && 'error' in signing
        ? { ok: false, error: signing.error }
        : outcome(policy, (p) => describePolicy(p.source, p.policy, policyPath)),
    ),
  ];
  return {
    checks,
    env: 'value' in env ? env.value : null,
    policy: 'value' in policy ? policy.value.policy : null,
    hosts: inventory !== null && 'value' in inventory ? inventory.value.hosts : [],
  };
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function describeEnv(env: EnvConfig): string {
  const slack = env.SLACK_BOT_TOKEN ? `Slack app, SLACK_MODE=${env.SLACK_MODE}` : 'local mode';
  const alerts = env.PORTBOT_ALERT_TOKEN || env.PORTBOT_ALERT_HMAC_SECRET ? 'on' : 'off';
  return `valid (${slack}; alert webhooks ${alerts})`;
}

function describePolicy(source: string, policy: Policy, path: string): string {
  if (source === 'built-in read-only') {
    return `no policy file at ${path}: the built-in read-only policy (commands for everyone, no remediation)`;
  }
  return `${source}: ${policy.remediation ? 'remediation on' : 'read-only (no remediation)'}`;
}
