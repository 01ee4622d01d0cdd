import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTestSlack,
  TEST_APP_TOKEN,
  type TestSlack,
} from '../../support/localSlack/startTestSlack';
import { startPortbot } from '../../support/portbotProcess';
import { serviceEnv, writeIdleInventory } from '../../support/serviceEnv';

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
