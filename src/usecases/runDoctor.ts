import pLimit from 'p-limit';
import { doctorReport, type DoctorCheck, type DoctorReport } from '../doctor/DoctorCheck';
import type {
  RedisFacts,
  SlackAuthFacts,
  SlackChannelFacts,
  SlackProbe,
  SshFacts,
  SshProbe,
} from '../domain/DoctorProbes';
import { redisChecks, type RedisTarget } from '../doctor/redisChecks';
import { localModeSlackCheck, slackChecks } from '../doctor/slackChecks';
import { sshCheck } from '../doctor/sshCheck';
import type { HostConfig } from '../domain/HostConfig';
import type { RedisEndpoint } from '../domain/RedisEndpoint';
import { withDeadline } from './withDeadline';

export interface DoctorDeps {
  redis: (endpoint: RedisEndpoint, timeoutMs: number) => Promise<RedisFacts>;
  ssh: SshProbe;
}

export interface RedisToCheck {
  target: RedisTarget;
  endpoint: RedisEndpoint;
}

/** What to check beyond the configuration itself (already checked by loading it). */
export interface DoctorPlan {
  config: readonly DoctorCheck[];
  /** Empty when the environment is invalid: no trustworthy URL to ask. */
  redis: readonly RedisToCheck[];
  /** null: nothing to check (local mode or an invalid environment, said by `slackSkipped`). */
  slack: {
    probe: SlackProbe;
    channelId: string | null;
    policyNamesGroups: boolean;
    workspaces: readonly string[] | null;
  } | null;
  /** The check printed instead of Slack's when it is not run; null prints none. */
  slackSkipped: 'local-mode' | null;
  hosts: readonly HostConfig[];
  /** Hosts checked at once. */
  concurrency: number;
  /**
   * Each network step's bound (connect, a Redis command, a Slack call, `true` over SSH); a probe
   * still busy after twice this fails as "no answer".
   */
  timeoutMs: number;
}

/** Runs the probes (Redis, Slack and SSH side by side, hosts bounded) and judges their facts. */
export async function runDoctor(deps: DoctorDeps, plan: DoctorPlan): Promise<DoctorReport> {
  const limit = pLimit(Math.max(1, plan.concurrency));
  const ms = plan.timeoutMs;
  const [redis, slack, ssh] = await Promise.all([
    Promise.all(plan.redis.map((r) => checkRedis(deps, r, ms))),
    checkSlack(plan, ms),
    Promise.all(plan.hosts.map((h) => limit(() => checkHost(deps.ssh, h, ms)))),
  ]);
  return doctorReport([...plan.config, ...redis.flat(), ...slack, ...ssh]);
}

/**
 * A probe's facts, or `failed(why)` when it throws or is still busy after twice the step bound
 * (it bounds each of its steps itself; this only stops waiting for one that does not).
 */
function probeWithin<T>(
  work: () => Promise<T>,
  ms: number,
  failed: (why: string) => T,
): Promise<T> {
  const settled = work().catch((err: unknown) =>
    failed(err instanceof Error ? err.message : String(err)),
  );
  return withDeadline(settled, 2 * ms, () => failed(`no answer within ${2 * ms} ms`));
}

async function checkRedis(deps: DoctorDeps, r: RedisToCheck, ms: number): Promise<DoctorCheck[]> {
  const facts = await probeWithin(
    () => deps.redis(r.endpoint, ms),
    ms,
    (error): RedisFacts => ({ reachable: false, error }),
  );
  return redisChecks(r.target, facts);
}

async function checkSlack(plan: DoctorPlan, ms: number): Promise<DoctorCheck[]> {
  if (plan.slack === null) return plan.slackSkipped === 'local-mode' ? [localModeSlackCheck()] : [];
  const { probe, channelId } = plan.slack;
  const auth = await probeWithin(
    () => probe.authTest(),
    ms,
    (error): SlackAuthFacts => ({ ok: false, error, reached: false }),
  );
  const channel =
    auth.ok && channelId !== null
      ? await probeWithin(
          () => probe.channelInfo(channelId),
          ms,
          (error): SlackChannelFacts => ({ ok: false, error, reached: false, needed: null }),
        )
      : null;
  return slackChecks({
    auth,
    channelId,
    channel,
    policyNamesGroups: plan.slack.policyNamesGroups,
    workspaces: plan.slack.workspaces,
  });
}

async function checkHost(ssh: SshProbe, host: HostConfig, ms: number): Promise<DoctorCheck> {
  const facts = await probeWithin(
    () => ssh.check(host, ms),
    ms,
    (why): SshFacts => ({
      ok: false,
      code: 'SSH_ERROR',
      message: `${host.name} (${host.address}:${host.port}): ${why}`,
    }),
  );
  return sshCheck(host, facts);
}
