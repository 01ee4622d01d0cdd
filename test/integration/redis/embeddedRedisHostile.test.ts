import { createServer, type Server } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { isPortbotError } from '../../../src/domain/PortbotError';
import { startEmbeddedRedis } from '../../../src/redis/startEmbeddedRedis';
import { silentLog } from '../../support/fakes/silentLog';
import { freePort } from '../../support/redisServer';

/**
 * Attack (issue 8 review): what serve/worker do without REDIS_URL when the embedded port is taken by
 * something that is not a usable Redis, or the data folder cannot be made.
 */
const HOST = '127.0.0.1';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'portbot-att-b-'));
}

function start(port: number, dir: string) {
  return startEmbeddedRedis({ host: HOST, port, dir, log: silentLog, path: process.env.PATH });
}

async function listen(server: Server, port: number): Promise<void> {
  await new Promise<void>((done) => server.listen(port, HOST, done));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return isPortbotError(err) ? `${err.code}: ${err.message}` : `raw: ${String(err)}`;
  }
}

it('refuses a non-Redis program on the port instead of using it as Redis', async () => {
  const port = await freePort();
  const http = createServer((s) => s.end('HTTP/1.0 400 Bad Request\r\n\r\n'));
  await listen(http, port);
  try {
    const outcome = await codeOf(start(port, tmp()));
    expect(outcome).toMatch(/^EMBEDDED_REDIS_PORT_TAKEN: .*not a Redis.*REDIS_URL/s);
  } finally {
    http.close();
  }
});

it('refuses a Redis that asks for a password, naming REDIS_URL', async () => {
  const port = await freePort();
  const r = spawnSync('redis-server', [
    ...['--port', String(port), '--bind', HOST, '--requirepass', 'att-b-secret'],
    ...['--save', '', '--appendonly', 'no', '--daemonize', 'yes'],
  ]);
  expect(r.status).toBe(0);
  try {
    let outcome = 'none';
    for (let i = 0; i < 50 && !outcome.startsWith('EMBEDDED'); i++) {
      outcome = await codeOf(start(port, tmp()));
      if (!outcome.startsWith('EMBEDDED')) await new Promise((d) => setTimeout(d, 100));
    }
    expect(outcome).toMatch(/^EMBEDDED_REDIS_AUTH: .*password.*REDIS_URL/s);
  } finally {
    spawnSync('redis-cli', ['-p', String(port), '-a', 'att-b-secret', 'shutdown', 'nosave']);
  }
});

it('an uncreatable data folder is a PortbotError naming the folder, not an unexpected error', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'redis'), 'a file where the folder should be');
  const outcome = await codeOf(start(await freePort(), join(dir, 'redis')));
  expect(outcome).toMatch(/^EMBEDDED_REDIS_DIR: .*redis/s);
});
