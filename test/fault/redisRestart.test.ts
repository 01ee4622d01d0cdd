import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLab, type Lab } from '../lab';
import { recordFigure } from '../support/faultFigures';
import { acceptedRootPosts, names, threadOf, waitForThreads } from '../support/faultRig';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import {
  freePort,
  killRedisServer,
  shutdownRedisServer,
  startRedisServer,
  type RedisServer,
} from '../support/redisServer';
import { serviceEnv } from '../support/serviceEnv';
import { startSender, waitUntil } from '../support/alertSender';

/**
 * Issue 10: Redis restarts under a steady alert stream. serve and worker run on their own
 * redis-server with AOF; the sender retries every alert until it is answered 202 (as
 * Alertmanager does). Every alert answered 202 ends in exactly one thread, and the fault report
 * gets the time from Redis accepting connections again to the first alert answered 202 and to
 * that alert's complete thread.
 */
const HOSTS = ['lb-01', 'lb-02', 'lb-03'];
/**
 * One new incident every 3.5 s: its three messages (root, diagnosis, evidence) fit Slack's one
 * message per second per channel, so the figures measure Redis's recovery, not a Slack backlog.
 */
const PACE_MS = 3500;
let lab: Lab;
const procs: PortbotProcess[] = [];
const servers: RedisServer[] = [];

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  await Promise.all(HOSTS.map((h) => lab.healthy(h)));
}, 180_000);

afterAll(async () => {
  for (const p of procs) await p.kill();
  for (const s of servers) await killRedisServer(s);
  await lab?.stop();
}, 60_000);

const MODES = [
  {
    fault: 'Redis restart (SHUTDOWN NOSAVE, AOF everysec)',
    args: ['--appendfsync', 'everysec'],
    stop: shutdownRedisServer,
    firstPort: 9001,
  },
  {
    fault: 'Redis restart (SIGKILL, AOF appendfsync always)',
    args: ['--appendfsync', 'always'],
    stop: killRedisServer,
    firstPort: 9101,
  },
] as const;

it.each(MODES)(
  '$fault: every alert answered 202 ends in exactly one thread',
  async ({ fault, args, stop, firstPort }) => {
    const slack: TestSlack = await startTestSlack({ autoCreateChannels: true });
    const port = await freePort();
    const redisArgs = ['--dir', mkdtempSync(join(tmpdir(), 'portbot-aof-')), '--save', ''];
    const aof = [...redisArgs, '--appendonly', 'yes', ...args];
    let redis = await startRedisServer(port, aof);
    servers.push(redis);
    const env = serviceEnv({
      slackApiUrl: slack.url,
      redisDb: 0,
      inventory: lab.inventoryPath,
      extra: { REDIS_URL: `redis://127.0.0.1:${port}/0` },
    });
    const serve = await startPortbot(['serve'], env);
    const worker = await startPortbot(['worker'], env);
    procs.push(serve, worker);

    const sender = startSender(serve.port, {
      hosts: HOSTS,
      firstPort,
      paceMs: PACE_MS,
      summary: 'redis restart fault test',
    });
    // Redis goes right after the third incident was accepted: its diagnosis job is in flight.
    await sender.until((a) => a.length >= 3, 30_000);
    const downAt = Date.now();
    await stop(redis);
    // An alert arrives while Redis is down (refused, then retried, as a sender does).
    const refusedBefore = sender.refused();
    sender.nudge();
    await waitUntil(() => sender.refused() > refusedBefore, 10_000);
    redis = await startRedisServer(port, aof);
    servers.push(redis);
    const upAt = Date.now();
    const inFlight = sender.accepted[2]?.target ?? '';
    const inFlightAt = waitForThreads(slack, [inFlight], 90_000).then(() => Date.now());
    inFlightAt.catch(() => undefined); // awaited below
    await sender.until((a) => a.some((x) => x.at >= upAt), 60_000);
    const firstAfter = sender.accepted.find((x) => x.at >= upAt);
    if (!firstAfter) throw new Error('no alert answered 202 after the restart');
    const threadAt = waitForThreads(slack, [firstAfter.target], 60_000).then(() => Date.now());
    threadAt.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    await sender.until((a) => a.filter((x) => x.at >= upAt).length >= 3, 60_000);
    await sender.stop();
    const targets = sender.accepted.map((a) => a.target);
    await waitForThreads(slack, targets, 120_000).catch((err: Error) => {
      throw new Error(`${err.message}\nworker:\n${worker.output().slice(-4000)}`);
    });
    // Let a wrong second root or reply show up if one were coming.
    await sleep(3000);

    for (const t of targets) {
      const view = threadOf(slack, t);
      expect({ t, roots: view.roots.length, replies: view.replies.length }).toEqual({
        t,
        roots: 1,
        replies: 1,
      });
      expect({ t, rootPosts: acceptedRootPosts(slack, t) }).toEqual({ t, rootPosts: 1 });
    }
    expect(slack.topLevelMessages('C0ALERTS')).toHaveLength(targets.length);

    recordFigure(fault, 'Redis down (stopped → accepting again)', upAt - downAt, 'ms');
    recordFigure(fault, 'Redis back → first alert answered 202', firstAfter.at - upAt, 'ms');
    const rootCall = slack
      .calls('chat.postMessage')
      .find((c) => c.ok && !c.params.thread_ts && names(String(c.params.text), firstAfter.target));
    recordFigure(fault, 'Redis back → that alert’s root posted', (rootCall?.at ?? 0) - upAt, 'ms');
    recordFigure(fault, 'Redis back → that alert’s thread posted', (await threadAt) - upAt, 'ms');
    recordFigure(
      fault,
      'Redis back → thread of the alert in flight',
      Math.max(0, (await inFlightAt) - upAt),
      'ms',
    );
    recordFigure(fault, 'alerts answered 202 (each one thread)', targets.length, 'alerts');
    recordFigure(fault, 'answers other than 202 (retried)', sender.refused(), 'answers');

    expect(await worker.stop()).toBe(0);
    expect(await serve.stop()).toBe(0);
    await slack.close();
  },
  240_000,
);
