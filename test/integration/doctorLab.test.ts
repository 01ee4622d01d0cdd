import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { DoctorReportSchema } from '../../src/cli/DoctorReportSchema';
import { runCli } from '../../src/cli/runCli';
import type { DoctorCheck, DoctorReport } from '../../src/doctor/DoctorCheck';
import { SLACK_BOT_SCOPES } from '../../src/domain/slackBotScopes';
import { startLocalSlack, type LocalSlack } from '../../src/localSlack/startLocalSlack';
import { startLab, type Lab } from '../lab';
import { captureIo } from '../support/captureIo';
import { PORTBOT_BIN } from '../support/portbotProcess';
import { startPrivateRedis, type StartedRedis } from '../support/redisServer';

const run = promisify(execFile);

/**
 * `portbot doctor` against the namespaced lab's real sshd hosts, real redis-server processes
 * (ports 6426-6428: healthy; no persistence; allkeys-lru) and the local Slack stand-in: it passes
 * on the healthy setup and names every problem of a broken one.
 */
const TOKEN = 'xoxb-doctor-lab-token';
const UNREACHABLE = { name: 'lb-gone', address: '10.77.0.99' };

let lab: Lab;
let slack: LocalSlack;
const dir = mkdtempSync(join(tmpdir(), 'portbot-doctor-'));
let healthy: StartedRedis;
let noPersistence: StartedRedis;
let lru: StartedRedis;
let brokenInventory: string;

beforeAll(async () => {
  lab = await startLab();
  slack = await startLocalSlack({
    tokens: [TOKEN],
    channels: [
      { id: 'C0ALERTS', name: 'alerts' },
      { id: 'C0QUIET', name: 'quiet', botIsMember: false },
    ],
  });
  healthy = await startPrivateRedis(6426, dir, ['--appendonly', 'yes', '--save', '']);
  noPersistence = await startPrivateRedis(6427, dir, ['--appendonly', 'no', '--save', '']);
  // AOF on, so eviction is the only thing wrong with it.
  lru = await startPrivateRedis(6428, dir, [
    '--appendonly',
    'yes',
    '--appendfilename',
    'lru.aof',
    '--appenddirname',
    'lru-aof',
    '--save',
    '',
    '--maxmemory-policy',
    'allkeys-lru',
  ]);
  // The lab's inventory plus a host at an address nobody has on the lab bridge.
  const doc = parse(readFileSync(lab.inventoryPath, 'utf8')) as { hosts: object[] };
  doc.hosts.push({ ...UNREACHABLE, port: 22, lb: { kind: 'nginx' } });
  brokenInventory = join(dir, 'inventory-with-gone-host.yaml');
  writeFileSync(brokenInventory, stringify(doc));
}, 180_000);

afterAll(async () => {
  await slack?.close();
  for (const r of [healthy, noPersistence, lru]) await r?.stop();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function env(over: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: 'doctor-lab-signing-secret',
    SLACK_API_URL: slack.url,
    PORTBOT_ALERT_CHANNEL: 'C0ALERTS',
    PORTBOT_ALERT_TOKEN: 'doctor-lab-alert-token',
    REDIS_URL: healthy.url,
    PORTBOT_INVENTORY: lab.inventoryPath,
    PORTBOT_POLICY: join(dir, 'no-policy.yaml'),
    ...over,
  };
}

async function doctor(
  e: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; report: DoctorReport; text: string }> {
  const json = captureIo(e);
  const code = await runCli(['doctor', '--json', '--timeout', '2000', ...args], json);
  expect(json.err).toEqual([]);
  const report = DoctorReportSchema.parse(JSON.parse(json.out.join('\n')));
  const text = captureIo(e);
  expect(await runCli(['doctor', '--timeout', '2000', ...args], text)).toBe(code);
  return { code, report, text: text.out.join('\n') };
}

const line = (r: DoctorReport, check: string, target: string | null = null): DoctorCheck => {
  const found = r.checks.find((c) => c.check === check && c.target === target);
  if (!found) throw new Error(`no ${check} ${target ?? ''} line in ${JSON.stringify(r.checks)}`);
  return found;
};
const failing = (r: DoctorReport) =>
  r.checks.filter((c) => c.status === 'fail').map((c) => `${c.check} ${c.target ?? ''}`.trim());

describe('portbot doctor on the lab', () => {
  it('the healthy lab passes: every line ok, exit 0', async () => {
    const { code, report, text } = await doctor(env());
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(code).toBe(0);
    expect(report.passed).toBe(true);
    expect(report.checks.filter((c) => c.check === 'ssh').map((c) => c.target)).toEqual(
      lab.hosts.map((h) => h.name),
    );
    expect(line(report, 'ssh', 'lb-03').detail).toContain('matches hostKey pin');
    expect(line(report, 'ssh', 'lb-04').detail).toMatch(
      /^portbot-diag@10\.77\.0\.14:22: host key SHA256:/,
    );
    expect(line(report, 'slack.channel', 'C0ALERTS').detail).toBe(
      '#alerts (C0ALERTS): the bot is a member',
    );
    expect(text.split('\n').at(-1)).toMatch(
      /^\d+ checks: \d+ ok, 0 warnings, 0 failed: all checks passed$/,
    );
  }, 60_000);

  it('the compiled binary: exit 0 on the healthy lab, JSON on stdout', async () => {
    const r = await run(process.execPath, [PORTBOT_BIN, 'doctor', '--json'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env() },
    });
    expect(DoctorReportSchema.parse(JSON.parse(r.stdout)).passed).toBe(true);
  }, 60_000);

  it('a broken setup: bad token, allkeys-lru, an audit Redis without persistence, a changed host key, an unreachable host', async () => {
    await lab.changeHostKey('lb-02');
    try {
      const { code, report, text } = await doctor(
        env({
          SLACK_BOT_TOKEN: 'xoxb-0000-revoked-or-mistyped',
          REDIS_URL: lru.url,
          AUDIT_REDIS_URL: noPersistence.url,
          PORTBOT_INVENTORY: brokenInventory,
        }),
      );
      expect(code).toBe(1);
      expect(failing(report)).toEqual([
        'redis.maxmemory-policy REDIS_URL',
        'redis.persistence AUDIT_REDIS_URL',
        'slack.auth',
        'ssh lb-02',
        'ssh lb-gone',
      ]);
      expect(line(report, 'slack.auth').detail).toMatch(/^auth\.test answered invalid_auth/);
      expect(line(report, 'redis.maxmemory-policy', 'REDIS_URL').detail).toContain('allkeys-lru');
      expect(line(report, 'redis.persistence', 'AUDIT_REDIS_URL').detail).toContain(
        'the tamper-evident audit log is lost',
      );
      const key = line(report, 'ssh', 'lb-02');
      expect(key.detail).toMatch(/host key mismatch: presented SHA256:\S+, expected SHA256:/);
      expect(key.fix).toContain(`ssh-keygen -R 10.77.0.12 -f ${lab.knownHostsPath}`);
      expect(line(report, 'ssh', 'lb-gone').detail).toMatch(
        /^lb-gone \(10\.77\.0\.99:22\): (TCP connect timed out after 2000 ms|host unreachable)/,
      );
      // the other hosts are still checked, and pass
      expect(['lb-01', 'lb-03', 'lb-04'].map((h) => line(report, 'ssh', h).status)).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
      expect(text).toMatch(/^FAIL {2}ssh lb-02: lb-02 \(10\.77\.0\.12:22\): host key mismatch/m);
      expect(text.split('\n').at(-1)).toMatch(/, 5 failed: problems found \(exit 1\)$/);
    } finally {
      await lab.restore('lb-02');
    }
  }, 60_000);

  it('a missing channel, and a Redis without persistence holding the audit log', async () => {
    const { code, report } = await doctor(
      env({ PORTBOT_ALERT_CHANNEL: 'C0GONE', REDIS_URL: noPersistence.url }),
    );
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['redis.persistence REDIS_URL', 'slack.channel C0GONE']);
    expect(line(report, 'slack.channel', 'C0GONE').detail).toContain('channel C0GONE not found');
    expect(line(report, 'redis.persistence', 'REDIS_URL').detail).toBe(
      'neither AOF nor RDB is on: the tamper-evident audit log and queued jobs, open incidents and approvals are lost when Redis restarts',
    );
  }, 60_000);

  it('a channel the bot was never invited to, and missing scopes', async () => {
    slack.grantScopes(['chat:write', 'commands', 'channels:read']);
    try {
      const { code, report } = await doctor(env({ PORTBOT_ALERT_CHANNEL: 'C0QUIET' }));
      expect(code).toBe(1);
      expect(failing(report)).toEqual(['slack.channel C0QUIET', 'slack.scopes']);
      expect(line(report, 'slack.channel', 'C0QUIET').fix).toBe(
        'invite it: /invite @portbot in #quiet (C0QUIET)',
      );
      expect(line(report, 'slack.scopes').detail).toMatch(
        /^missing scopes: channels:history .*, im:write /,
      );
    } finally {
      slack.grantScopes(SLACK_BOT_SCOPES.map((s) => s.scope));
    }
  }, 60_000);
});
