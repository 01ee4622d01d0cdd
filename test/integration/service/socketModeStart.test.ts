import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTestSlack,
  TEST_APP_TOKEN,
  type TestSlack,
} from '../../support/localSlack/startTestSlack';
import { startPortbot } from '../../support/portbotProcess';
import {
  ALLOWED_USER,
  ALERT_CHANNEL,
  serviceEnv,
  writeIdleInventory,
} from '../../support/serviceEnv';
import { slashCommandBody } from '../../support/signSlackRequest';
import { connectTestRedis } from '../../support/testRedis';
import { waitFor } from '../../lab/waitFor';

/**
 * `portbot serve` in Socket Mode with an app-level token Slack refuses: start-up stops with what
 * to fix and the process exits (nothing it opened keeps it alive); no lab needed.
 */
const DB = 1;
let standIn: TestSlack;

const appTokens = [TEST_APP_TOKEN];

beforeAll(async () => {
  standIn = await startTestSlack({ autoCreateChannels: true, appTokens });
});

afterAll(async () => {
  await standIn?.close();
});

it('an app-level token Slack does not know stops start-up with exit 1 and names the problem', async () => {
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: writeIdleInventory(mkdtempSync(join(tmpdir(), 'portbot-socket-'))),
    mode: 'socket',
    appToken: 'xapp-1-A0OTHER-1-unknown',
  });
  const message = await startPortbot(['serve'], env).then(
    () => 'serve started',
    (err: Error) => err.message,
  );
  expect(message).toMatch(/exited 1:/);
  expect(message).toContain('Socket Mode could not connect: Slack answered invalid_auth');
  expect(message).toContain('SLACK_APP_TOKEN must be the app');
  expect(standIn.calls('apps.connections.open')).toEqual([
    expect.objectContaining({ ok: false, error: 'invalid_auth' }),
  ]);
}, 60_000);

it('an app-level token revoked while serve runs: serve stops with exit 1 and says why', async () => {
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: writeIdleInventory(mkdtempSync(join(tmpdir(), 'portbot-socket-'))),
    mode: 'socket',
  });
  const serve = await startPortbot(['serve'], env);
  try {
    await standIn.socketMode.waitForConnections(TEST_APP_TOKEN, 1);
    const exited = new Promise<number | null>((resolve) =>
      serve.child.once('exit', (code) => resolve(code)),
    );
    appTokens.length = 0; // revoked: apps.connections.open now answers invalid_auth
    expect(standIn.socketMode.requestRefresh(TEST_APP_TOKEN)).toBe(1);
    expect(await exited).toBe(1);
    expect(serve.output()).toContain('portbot: stopping on an error nothing handled');
    expect(serve.output()).toContain('invalid_auth');
  } finally {
    appTokens.splice(0, appTokens.length, TEST_APP_TOKEN);
    await serve.kill();
  }
}, 60_000);

it('an envelope Slack delivers twice runs once: the second is acked and does nothing', async () => {
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: writeIdleInventory(mkdtempSync(join(tmpdir(), 'portbot-socket-'))),
    mode: 'socket',
  });
  const redis = await connectTestRedis(DB);
  const serve = await startPortbot(['serve'], env);
  try {
    await standIn.socketMode.waitForConnections(TEST_APP_TOKEN, 1);
    const fields = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({
          text: 'check lb-01 443',
          user_id: ALLOWED_USER,
          channel_id: ALERT_CHANNEL,
        }),
      ),
    );
    const first = await standIn.socketMode.deliver(TEST_APP_TOKEN, 'slash_commands', fields);
    const again = await standIn.socketMode.deliver(
      TEST_APP_TOKEN,
      'slash_commands',
      fields,
      first.envelopeId,
    );
    expect(first.ackedAfterMs).toBeDefined();
    expect(again.ackedAfterMs).toBeDefined();
    // one check opened (CHK-1), not two; the repeat is logged once its ack went out
    const checks = await redis.keys('portbot:incident:CHK-*');
    expect(checks).toEqual(['portbot:incident:CHK-1']);
    await waitFor('the repeat logged', () =>
      serve.output().includes('repeated socket mode envelope ignored'),
    );
  } finally {
    await serve.kill();
    redis.disconnect();
  }
}, 60_000);
