import { loadEnvConfig } from '../config/loadEnvConfig';
import type { EnvConfig } from '../config/EnvConfigSchema';
import { loadInventory } from '../config/loadInventory';
import { loadPolicy } from '../config/loadPolicy';
import { defaultRunbooksDir, loadRunbooks } from '../config/loadRunbooks';
import { configCheck, type LoadOutcome } from '../doctor/configCheck';
import type { DoctorCheck } from '../doctor/DoctorCheck';
import { formatDoctorText } from '../doctor/formatDoctorText';
import { policyNamesGroups } from '../doctor/policyNamesGroups';
import type { HostConfig } from '../domain/HostConfig';
import type { Policy } from '../domain/Policy';
import { maskRedisUrl } from '../redis/maskRedisUrl';
import { describeRedisEndpoint } from '../redis/describeRedisEndpoint';
import { redisEndpoint } from '../config/RedisEnvSchema';
import { probeRedis } from '../redis/probeRedis';
import { WebClientSlackProbe } from '../slack/WebClientSlackProbe';
import { SshHostProbe } from '../ssh/SshHostProbe';
import { runDoctor, type DoctorPlan, type RedisToCheck } from '../usecases/runDoctor';
import type { CliIo } from './CliIo';
import { parseDoctorArgs, type DoctorArgs } from './parseDoctorArgs';

/**
 * `portbot doctor`: loads each piece of configuration as serve and worker would, then asks Redis,
 * Slack and every inventory host whether they are ready. Exit 0 when no check failed, 1 otherwise.
 */
export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseDoctorArgs(argv);
  const loaded = loadConfiguration(args, io);
  const env = loaded.env;
  const plan: DoctorPlan = {
    config: loaded.checks,
    redis: env ? redisTargets(env) : [],
    slack:
      env?.SLACK_BOT_TOKEN !== undefined
        ? {
            probe: new WebClientSlackProbe(env.SLACK_BOT_TOKEN, {
              apiUrl: env.SLACK_API_URL,
              timeoutMs: args.timeoutMs,
            }),
            channelId: env.PORTBOT_ALERT_CHANNEL ?? null,
            policyNamesGroups: loaded.policy ? policyNamesGroups(loaded.policy) : false,
            workspaces: loaded.policy?.workspaces ?? null,
          }
        : null,
    slackSkipped: env && env.SLACK_BOT_TOKEN === undefined ? 'local-mode' : null,
    hosts: loaded.hosts,
    concurrency: args.concurrency,
    timeoutMs: args.timeoutMs,
  };
  const report = await runDoctor({ redis: probeRedis, ssh: new SshHostProbe(io.env) }, plan);
  io.stdout(args.json ? JSON.stringify(report, null, 2) : formatDoctorText(report));
  return report.passed ? 0 : 1;
}

interface LoadedConfiguration {
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

/** Environment, runbooks, inventory and policy, each loaded by the loader serve uses. */
function loadConfiguration(args: DoctorArgs, io: CliIo): LoadedConfiguration {
  const env = attempt(() => loadEnvConfig(io.env));
  const runbooks = attempt(() => loadRunbooks(defaultRunbooksDir()));
  const inventoryPath = args.inventory ?? (io.env.PORTBOT_INVENTORY || 'inventory.yaml');
  const inventory =
    'value' in runbooks
      ? attempt(() => loadInventory(inventoryPath, new Set(runbooks.value.keys())))
      : null;
  const policyPath = args.policy ?? (io.env.PORTBOT_POLICY || 'policy.yaml');
  const policy = attempt(() => loadPolicy(policyPath));

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
      outcome(policy, (p) => describePolicy(p.source, p.policy, policyPath)),
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

/**
 * REDIS_URL (or the master the Sentinels name), and AUDIT_REDIS_URL when it names another
 * server: the audit stream's home.
 */
function redisTargets(env: EnvConfig): RedisToCheck[] {
  const endpoint = redisEndpoint(env);
  const apart =
    env.AUDIT_REDIS_URL !== undefined &&
    (endpoint.kind === 'sentinel' || env.AUDIT_REDIS_URL !== env.REDIS_URL);
  const targets: RedisToCheck[] = [
    {
      endpoint,
      target: {
        variable: endpoint.kind === 'sentinel' ? 'REDIS_SENTINELS' : 'REDIS_URL',
        url: describeRedisEndpoint(endpoint),
        queue: true,
        audit: !apart,
      },
    },
  ];
  if (apart && env.AUDIT_REDIS_URL !== undefined) {
    targets.push({
      endpoint: { kind: 'url', url: env.AUDIT_REDIS_URL },
      target: {
        variable: 'AUDIT_REDIS_URL',
        url: maskRedisUrl(env.AUDIT_REDIS_URL),
        queue: false,
        audit: true,
      },
    });
  }
  return targets;
}
