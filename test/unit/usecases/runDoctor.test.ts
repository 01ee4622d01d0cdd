import type { SlackProbe, SshFacts, SshProbe } from '../../../src/domain/DoctorProbes';
import { check } from '../../../src/doctor/DoctorCheck';
import type { HostConfig } from '../../../src/domain/HostConfig';
import { runDoctor, type DoctorPlan } from '../../../src/usecases/runDoctor';
import { hostConfig } from '../../support/factories/hostConfig';

const healthyRedis = () =>
  Promise.resolve({
    reachable: true as const,
    info: 'redis_version:7.0.15\r\nmaxmemory_policy:noeviction\r\n',
    appendonly: ['appendonly', 'yes'],
    save: ['save', ''],
  });

const okSsh: SshProbe = {
  check: (host) =>
    Promise.resolve({ ok: true, fingerprint: `SHA256:${host.name}`, exitCode: 0, durationMs: 1 }),
};

/** Holds every check until the test releases it, counting how many run at once. */
class CountingSsh implements SshProbe {
  inFlight = 0;
  peak = 0;
  private readonly waiting: (() => void)[] = [];
  async check(host: HostConfig): Promise<SshFacts> {
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight -= 1;
    return { ok: true, fingerprint: `SHA256:${host.name}`, exitCode: 0, durationMs: 1 };
  }
  releaseAll(): number {
    const n = this.waiting.length;
    this.waiting.splice(0).forEach((r) => r());
    return n;
  }
}

const plan = (over: Partial<DoctorPlan> = {}): DoctorPlan => ({
  config: [check('env', null, 'ok', 'valid')],
  redis: [
    {
      endpoint: { kind: 'url', url: 'redis://127.0.0.1:6420' },
      target: { variable: 'REDIS_URL', url: 'redis://127.0.0.1:6420', queue: true, audit: true },
    },
  ],
  slack: null,
  slackSkipped: 'local-mode',
  hosts: [],
  concurrency: 4,
  timeoutMs: 1000,
  ...over,
});

describe('runDoctor', () => {
  it('keeps the order: configuration, Redis, Slack, then hosts in inventory order', async () => {
    const hosts = ['lb-01', 'lb-02', 'lb-03'].map((name) => hostConfig({ name }));
    const report = await runDoctor({ redis: healthyRedis, ssh: okSsh }, plan({ hosts }));
    expect(report.checks.map((c) => [c.check, c.target])).toEqual([
      ['env', null],
      ['redis.reachable', 'REDIS_URL'],
      ['redis.persistence', 'REDIS_URL'],
      ['redis.maxmemory-policy', 'REDIS_URL'],
      ['slack.auth', null],
      ['ssh', 'lb-01'],
      ['ssh', 'lb-02'],
      ['ssh', 'lb-03'],
    ]);
    expect(report).toMatchObject({ passed: true, summary: { ok: 7, warn: 1, fail: 0 } });
  });

  it('checks at most `concurrency` hosts at once', async () => {
    const ssh = new CountingSsh();
    const hosts = Array.from({ length: 12 }, (_, i) => hostConfig({ name: `h-${i}` }));
    const done = runDoctor({ redis: healthyRedis, ssh }, plan({ hosts, concurrency: 3 }));
    let released = 0;
    while (released < hosts.length) {
      await new Promise((r) => setImmediate(r));
      expect(ssh.inFlight).toBeLessThanOrEqual(3);
      released += ssh.releaseAll();
    }
    const report = await done;
    expect(ssh.peak).toBe(3);
    expect(report.checks.filter((c) => c.check === 'ssh')).toHaveLength(12);
  });

  it('a probe that throws or never answers becomes a failing line, not a crash or a hang', async () => {
    const never = new Promise<never>(() => undefined);
    const slack: SlackProbe = {
      authTest: () => never,
      channelInfo: () => never,
    };
    const ssh: SshProbe = { check: () => Promise.reject(new Error('boom')) };
    const report = await runDoctor(
      { redis: () => never, ssh },
      plan({
        hosts: [hostConfig({ name: 'lb-01', address: '10.0.0.1' })],
        slack: { probe: slack, channelId: 'C0ALERTS', policyNamesGroups: false, workspaces: null },
        slackSkipped: null,
        timeoutMs: 20,
      }),
    );
    expect(report.passed).toBe(false);
    expect(report.checks.map((c) => [c.check, c.status, c.detail])).toEqual([
      ['env', 'ok', 'valid'],
      ['redis.reachable', 'fail', 'cannot reach redis://127.0.0.1:6420: no answer within 40 ms'],
      [
        'slack.auth',
        'fail',
        'cannot reach Slack: no answer within 40 ms; channel and scopes not checked',
      ],
      ['ssh', 'fail', 'lb-01 (10.0.0.1:22): boom'],
    ]);
  });

  it('an invalid environment: no Redis or Slack lines at all (nothing trustworthy to ask)', async () => {
    const report = await runDoctor(
      { redis: healthyRedis, ssh: okSsh },
      plan({
        config: [check('env', null, 'fail', 'invalid configuration', 'fix it')],
        redis: [],
        slack: null,
        slackSkipped: null,
      }),
    );
    expect(report.checks.map((c) => c.check)).toEqual(['env']);
    expect(report.passed).toBe(false);
  });
});
