import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordFigure } from '../support/faultFigures';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import { freePort, killRedisServer, startPrivateRedis } from '../support/redisServer';
import { serviceEnv, writeIdleInventory } from '../support/serviceEnv';

/**
 * SIGTERM while Redis is down (a crash, or the gap of a Sentinel failover): ioredis queues every
 * command until Redis is back, and a stop that waited for its QUITs or for BullMQ's closes hung
 * for good (measured: still running 400 s after SIGTERM). Now the drain deadline bounds it, no
 * plan being under way, and the process exits 0 after logging "stopped".
 */
const FAULT = 'SIGTERM while Redis is down';
let slack: TestSlack;
const procs: PortbotProcess[] = [];

beforeAll(async () => {
  slack = await startTestSlack({ autoCreateChannels: true });
});

afterAll(async () => {
  for (const p of procs) await p.kill();
  await slack.close();
});

it.each(['worker', 'serve', 'serve --with-worker'])(
  `${FAULT}: portbot %s stops and exits 0`,
  async (command) => {
    const args = command.split(' ');
    const port = await freePort();
    const redis = await startPrivateRedis(port, mkdtempSync(join(tmpdir(), 'portbot-r-')), [
      '--save',
      '',
    ]);
    const env = serviceEnv({
      slackApiUrl: slack.url,
      redisDb: 0,
      inventory: writeIdleInventory(mkdtempSync(join(tmpdir(), 'portbot-inv-'))),
      extra: { REDIS_URL: `redis://127.0.0.1:${port}/0`, PORTBOT_DRAIN_MS: '3000' },
    });
    const proc = await startPortbot(args, env);
    procs.push(proc);
    await killRedisServer(redis);
    await redis.stop();
    const sentAt = Date.now();
    const code = await proc.stop();
    expect({ code, output: proc.output().slice(-2000) }).toMatchObject({ code: 0 });
    recordFigure(FAULT, `${args.join(' ')}: SIGTERM → exit`, Date.now() - sentAt, 'ms');
    expect(proc.output()).toContain('"msg":"stopped"');
  },
  60_000,
);
