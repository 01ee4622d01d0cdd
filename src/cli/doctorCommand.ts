import type { EnvConfig } from '../config/EnvConfigSchema';
import { formatDoctorText } from '../doctor/formatDoctorText';
import { policyNamesGroups } from '../doctor/policyNamesGroups';
import { maskRedisUrl } from '../redis/maskRedisUrl';
import { describeRedisEndpoint } from '../redis/describeRedisEndpoint';
import { redisEndpoint } from '../config/RedisEnvSchema';
import { probeRedis } from '../redis/probeRedis';
import { WebClientSlackProbe } from '../slack/WebClientSlackProbe';
import { SshHostProbe } from '../ssh/SshHostProbe';
import { runDoctor, type DoctorPlan, type RedisToCheck } from '../usecases/runDoctor';
import type { CliIo } from './CliIo';
import { loadDoctorConfiguration } from './loadDoctorConfiguration';
import { parseDoctorArgs } from './parseDoctorArgs';

/**
 * `portbot doctor`: loads each piece of configuration as serve and worker would, then asks Redis,
 * Slack and every inventory host whether they are ready. Exit 0 when no check failed, 1 otherwise.
 */
export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseDoctorArgs(argv);
  const loaded = loadDoctorConfiguration(args, io.env);
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
