import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pingRedis } from '../../src/redis/pingRedis';
import { threadRoot } from '../../demo/threadRoot';
import { freePort } from '../support/redisServer';

/**
 * `npm run demo` end to end (as root, after `npm run build` and `npm run build:dev`; hold
 * `flock /tmp/portbot-lab.lock`): the lab, the rogue listener on the VIP holder, portbot in
 * local mode with its embedded Redis, the incident thread in the local Slack; a second demo is
 * refused without harming the first; Ctrl-C (SIGINT to the process group, as a terminal sends
 * it) leaves nothing running. Ports are free ones, never 3000 or 6379 (the machine's own).
 */
const REPO = resolve(__dirname, '..', '..');
const LAB_PROGRAMS = new Set(['sshd', 'nginx', 'haproxy', 'keepalived', 'python3']);

function procs(): { pid: number; comm: string; pidNs: string; cwd: string }[] {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      out.push({
        pid: Number(entry),
        comm: readFileSync(`/proc/${entry}/comm`, 'utf8').trim(),
        pidNs: readlinkSync(`/proc/${entry}/ns/pid`),
        cwd: readlinkSync(`/proc/${entry}/cwd`),
      });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Lab programs in a PID namespace other than ours: processes of lab hosts. */
function labProcesses(): number[] {
  const mine = readlinkSync('/proc/self/ns/pid');
  return procs()
    .filter((p) => LAB_PROGRAMS.has(p.comm) && p.pidNs !== mine)
    .map((p) => p.pid);
}

function labNamespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.startsWith('pb-'));
}

function runDemo(env: Record<string, string>) {
  return spawn('bash', [join(REPO, 'demo', 'demo.sh'), '--no-build'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, like a terminal's foreground job
  });
}

it('npm run demo: an incident thread, a second demo refused, Ctrl-C leaves nothing', async () => {
  const before = new Set(labProcesses());
  const dir = mkdtempSync(join(tmpdir(), 'portbot-demo-test-'));
  const httpPort = await freePort();
  const redisPort = await freePort();
  const env = {
    PORTBOT_DEMO_DIR: dir,
    PORTBOT_DEMO_HTTP_PORT: String(httpPort),
    PORTBOT_DEMO_REDIS_PORT: String(redisPort),
  };
  const demo = runDemo(env);
  let out = '';
  demo.stdout.on('data', (b: Buffer) => (out += b.toString()));
  demo.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setInterval(() => {
        if (out.includes('portbot demo is ready')) {
          clearInterval(timer);
          ready();
        }
      }, 200);
      void exited.then((code) => {
        clearInterval(timer);
        fail(new Error(`demo exited ${code} before it was ready:\n${out}`));
      });
    });
    expect(out).toContain(`Open http://127.0.0.1:${httpPort}/ in your browser`);
    expect(out).toMatch(/HOST +VERDICT +OCCUPANT/); // the fleet table of diagnose --all
    // The page the demo points at answers, served by portbot itself.
    const page = await fetch(`http://127.0.0.1:${httpPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>portbot — local workspace</title>');

    // The thread, read from the local Slack as any client would.
    const log = readFileSync(join(dir, 'portbot.log'), 'utf8');
    const slackApiUrl = /"slackApiUrl":"([^"]+)"/.exec(log)?.[1] ?? '';
    const root = await threadRoot(slackApiUrl, 'C0PORTBOT', /lb-01:80 foreign-listener/);
    expect(root?.text).toMatch(/lb-01:80 foreign-listener/);
    expect(root?.reply_count).toBeGreaterThanOrEqual(1);
    expect(await pingRedis('127.0.0.1', redisPort)).toBe('ready');
    expect(readdirSync(join(dir, 'var', 'redis', String(redisPort)))).toContain('appendonlydir');

    // A second demo says so and leaves the first alone.
    const second = spawnSync('bash', [join(REPO, 'demo', 'demo.sh'), '--no-build'], {
      cwd: REPO,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('a demo is already running');
    expect((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status).toBe(200);
  } finally {
    if (demo.pid !== undefined && demo.exitCode === null) process.kill(-demo.pid, 'SIGINT');
  }
  expect(await exited).toBe(0);
  expect(out).toContain('nothing of it is left running');
  expect(await pingRedis('127.0.0.1', redisPort)).toBe('none');
  expect(procs().filter((p) => p.cwd === dir)).toEqual([]);
  expect(labProcesses().filter((p) => !before.has(p))).toEqual([]);
  expect(labNamespaces()).toEqual([]);
  expect(spawnSync('ip', ['link', 'show', 'pbbr0']).status).not.toBe(0);
}, 300_000);
