import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pingRedis } from '../src/redis/pingRedis';
import { labDir, startLab, stopLab, type Lab } from '../test/lab';
import { liveOtherOwner, releaseLab } from '../test/lab/labLock';
import { labNetnsNames, netnsPidsOf } from '../test/lab/network';
import { DEMO_USERS, demoPolicyYaml } from './demoPolicy';
import { fireAlert } from './fireAlert';
import { startDemoPortbot, type DemoPortbot } from './startDemoPortbot';
import { threadRoot } from './threadRoot';

/**
 * `npm run demo` (after demo/demo.sh's checks and lock): the lab, a rogue listener on port 80 of
 * the keepalived pair's VIP holder, portbot serve --with-worker in local mode with its embedded
 * Redis, one Alertmanager alert, then the URL and what to click. Ctrl-C stops all of it.
 */
const REPO = resolve(__dirname, '..', '..');
const DIR = resolve(process.env.PORTBOT_DEMO_DIR ?? '/tmp/portbot-demo');
const HTTP_PORT = Number(process.env.PORTBOT_DEMO_HTTP_PORT ?? 3000);
const REDIS_PORT = Number(process.env.PORTBOT_DEMO_REDIS_PORT ?? 6390);
const PID_FILE = '/run/portbot-demo.pid';
/** Where local mode opens alert threads (serve's default channel without PORTBOT_ALERT_CHANNEL). */
const CHANNEL = 'C0PORTBOT';
const URL = `http://127.0.0.1:${HTTP_PORT}/`;

let lab: Lab | undefined;
/** Set once startLab runs: a stop waits for it, and a lab that failed half-way is torn down too. */
let labStarting: Promise<Lab> | undefined;
let portbot: DemoPortbot | undefined;
let stopping: Promise<void> | undefined;

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function main(): Promise<void> {
  const owner = liveOtherOwner();
  if (owner)
    throw new Error(`the lab is in use by pid ${owner.pid} (a test run?); try again later`);
  if (!(await portFree(HTTP_PORT)))
    throw new Error(`port ${HTTP_PORT} is in use; free it or set PORTBOT_DEMO_HTTP_PORT`);
  if ((await pingRedis('127.0.0.1', REDIS_PORT)) !== 'none')
    throw new Error(`port ${REDIS_PORT} is in use; free it or set PORTBOT_DEMO_REDIS_PORT`);
  writeFileSync(PID_FILE, `${process.pid}\n`);
  // The demo's state is for this run only: a thread from an earlier run is in no local Slack now.
  rmSync(join(DIR, 'var'), { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });

  say('portbot demo: bringing up the lab (network namespaces, sshd, nginx, HAProxy, keepalived)…');
  labStarting = startLab({}, (m) => say(`  ${m}`));
  lab = await labStarting;
  if (stopping) return; // Ctrl-C meanwhile: stop() has the lab
  const [holder] = await lab.vipHolders('edge');
  if (!holder) throw new Error('no member of the keepalived pair holds the VIP');
  const rogue = await lab.rogueListener(holder);
  await lab.keepalived(true); // the rogue's reset stopped keepalived there: the VIP comes back
  say(
    `  ${holder} holds the VIP; a rogue python3 (pid ${rogue}) now holds its port 80, nginx failed`,
  );

  if (stopping) return;
  say('portbot demo: the fleet from the command line (portbot diagnose --all 80):');
  spawnSync(
    process.execPath,
    [cli(), 'diagnose', '--all', '80', '--inventory', lab.inventoryPath],
    {
      stdio: 'inherit',
    },
  );

  if (stopping) return;
  writeFileSync(join(DIR, 'policy.yaml'), demoPolicyYaml());
  const alertToken = randomBytes(16).toString('hex');
  say('portbot demo: starting portbot serve --with-worker (local mode, embedded Redis)…');
  portbot = await startDemoPortbot({
    repo: REPO,
    cwd: DIR,
    logFile: join(DIR, 'portbot.log'),
    timeoutMs: 60_000,
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      PORTBOT_HTTP_PORT: String(HTTP_PORT),
      PORTBOT_EMBEDDED_REDIS_PORT: String(REDIS_PORT),
      PORTBOT_INVENTORY: lab.inventoryPath,
      PORTBOT_POLICY: join(DIR, 'policy.yaml'),
      PORTBOT_ALERT_TOKEN: alertToken,
      // Remediation needs the signing key; this one lives and dies with this run.
      PORTBOT_APPROVAL_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
    },
  });
  void portbot.exited.then((code) => {
    if (stopping) return;
    say(
      `portbot demo: portbot exited (${code}) on its own; its last lines:\n${portbot?.tail() ?? ''}`,
    );
    void stop(1);
  });
  const answer = await fireAlert({
    url: URL.slice(0, -1),
    token: alertToken,
    host: holder,
    port: 80,
  });
  if (answer.status !== 202)
    throw new Error(`the alert was answered ${answer.status}: ${answer.body}`);
  say(
    `portbot demo: Alertmanager alert "LbPortDown ${holder}:80" sent; waiting for the diagnosis…`,
  );
  const slackApiUrl = portbot.slackApiUrl;
  const pattern = new RegExp(`${holder}:80 foreign-listener`);
  const deadline = Date.now() + 90_000;
  while (!(await threadRoot(slackApiUrl, CHANNEL, pattern).catch(() => null))) {
    if (Date.now() > deadline) throw new Error('no diagnosis in the incident thread after 90 s');
    await sleep(500);
  }
  printInstructions(holder, rogue);
}

function printInstructions(holder: string, rogue: number): void {
  const u = DEMO_USERS;
  const lines = [
    '',
    `portbot demo is ready. Open ${URL} in your browser (nothing was opened for you).`,
    '',
    `  1. Channel ${CHANNEL}: the incident thread for ${holder}:80 shows the alert and the`,
    '     diagnosis (foreign-listener: python3 holds the port nginx wants), with its evidence.',
    `  2. As the requester ${u.requester} (user switcher): click "🔒 Stop python3 (pid ${rogue})",`,
    '     give a reason, submit. The plan moves the VIP to the healthy peer before the kill.',
    `  3. Switch to the approver ${u.approver} and click "Approve": the thread follows each step`,
    '     (demote, stop python3, start nginx, promote) to the end.',
    `  Also try /port check lb-03 80 in the command box, or approving as ${u.outsider}.`,
    '',
    `  Logs: ${join(DIR, 'portbot.log')}   Stop: Ctrl-C (portbot, its Redis and the lab).`,
  ];
  for (const line of lines) say(line);
}

function cli(): string {
  return join(REPO, 'dist', 'cli', 'main.js');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

/** Every path out (Ctrl-C, a failure, portbot dying) ends here, once. */
function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    say('portbot demo: stopping portbot, its Redis and the lab…');
    const p = portbot;
    if (p && p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
      await p.exited;
      clearTimeout(timer);
    }
    // A Ctrl-C while the lab boots: let it finish booting, or nothing would stop what boots late.
    const l = lab ?? (await labStarting?.catch(() => undefined));
    const hostPids = [...netnsPidsOf(await labNetnsNames()).values()].flat();
    if (l) await l.stop();
    else if (labStarting) {
      await stopLab(labDir());
      releaseLab();
    }
    // SIGKILLed hosts take a moment to be reaped: "stopped" means gone.
    for (let i = 0; i < 100 && hostPids.some((pid) => existsSync(`/proc/${pid}`)); i += 1)
      await sleep(100);
    rmSync(PID_FILE, { force: true });
    say('portbot demo: stopped; nothing of it is left running.');
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => void stop(0));

main().catch(async (err: unknown) => {
  // A Ctrl-C also reaches what the lab was starting at that moment: its failure is no news.
  await sleep(200);
  if (!stopping) say(`portbot demo: ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
