import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { isPortbotError } from '../../../src/domain/PortbotError';
import { pingRedis } from '../../../src/redis/pingRedis';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../../src/redis/startEmbeddedRedis';
import { silentLog } from '../../support/fakes/silentLog';
import { PORTBOT_BIN, startPortbot } from '../../support/portbotProcess';
import { freePort, startPrivateRedis } from '../../support/redisServer';
import { writeIdleInventory } from '../../support/serviceEnv';

/**
 * The Redis serve and worker start when REDIS_URL is unset, against the real redis-server, each
 * test on a free port (never 6379, the machine's own Redis) and in its own folder.
 */
const HOST = '127.0.0.1';
const started: EmbeddedRedis[] = [];

afterEach(async () => {
  for (const r of started.splice(0)) await r.stop();
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'portbot-embedded-'));
}

async function embedded(port: number, dir: string): Promise<EmbeddedRedis> {
  const r = await startEmbeddedRedis({
    host: HOST,
    port,
    dir,
    log: silentLog,
    path: process.env.PATH,
  });
  started.push(r);
  return r;
}

/** pids of redis-server processes serving that port (Redis titles itself `redis-server HOST:PORT`). */
function redisPids(port: number): number[] {
  const r = spawnSync('pgrep', ['-f', `(^|/)redis-server ${HOST}:${port}( |$)`], {
    encoding: 'utf8',
  });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(100);
  }
}

describe('startEmbeddedRedis', () => {
  it('starts redis-server with append-only persistence under <dir>/<port>, and stop() ends it', async () => {
    const port = await freePort();
    const dir = tmp();
    const first = await embedded(port, dir);
    expect(first).toMatchObject({ url: `redis://${HOST}:${port}`, started: true });
    expect(redisPids(port)).toHaveLength(1);
    const client = new Redis(first.url);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'dir')).toEqual(['dir', join(dir, String(port))]);
    await client.set('portbot:embedded:test', 'kept');
    client.disconnect();
    await first.stop();
    expect(redisPids(port)).toEqual([]);
    expect(await pingRedis(HOST, port)).toBe('none');
    expect(readdirSync(join(dir, String(port)))).toEqual(
      expect.arrayContaining(['appendonlydir', 'redis.log']),
    );

    // A restart reads the append-only file back.
    const second = await embedded(port, dir);
    expect(second.started).toBe(true);
    const again = new Redis(second.url);
    expect(await again.get('portbot:embedded:test')).toBe('kept');
    again.disconnect();
  });

  it('uses a Redis that already answers and never touches it', async () => {
    const port = await freePort();
    const theirs = await startPrivateRedis(port, tmp(), ['--save', '', '--appendonly', 'no']);
    try {
      const dir = tmp();
      const r = await embedded(port, dir);
      expect(r).toMatchObject({ url: `redis://${HOST}:${port}`, started: false });
      await r.stop();
      expect(await theirs.redis.ping()).toBe('PONG');
      expect(redisPids(port)).toEqual([theirs.child.pid]);
      // nothing written where an embedded server would keep its data
      expect(existsSync(join(dir, String(port)))).toBe(false);
    } finally {
      await theirs.stop();
    }
  });

  it('two started at once on one folder and port: one redis-server, the other portbot uses it', async () => {
    const port = await freePort();
    const dir = tmp();
    const both = await Promise.all([embedded(port, dir), embedded(port, dir)]);
    expect(both.map((r) => r.started).sort()).toEqual([false, true]);
    await sleep(300);
    expect(redisPids(port)).toHaveLength(1);
    const owner = both.find((r) => r.started);
    await owner?.stop();
    expect(redisPids(port)).toEqual([]);
  });

  it('without redis-server on PATH says how to install it', async () => {
    const port = await freePort();
    const err: unknown = await startEmbeddedRedis({
      host: HOST,
      port,
      dir: tmp(),
      log: silentLog,
      path: '/nonexistent',
    }).catch((e: unknown) => e);
    expect(isPortbotError(err) && err.code).toBe('REDIS_SERVER_MISSING');
    expect(String(err)).toContain('apt-get install redis-server');
  });
});

describe('portbot serve without REDIS_URL (npm run build first)', () => {
  function serveEnv(
    port: number,
    dir: string,
    path = process.env.PATH ?? '',
  ): Record<string, string> {
    return {
      PATH: path,
      PORTBOT_EMBEDDED_REDIS_PORT: String(port),
      PORTBOT_INVENTORY: writeIdleInventory(dir),
      PORTBOT_HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    };
  }

  it('starts its own Redis under ./var/redis and stops it on SIGTERM', async () => {
    const port = await freePort();
    const dir = tmp();
    const serve = await startPortbot(['serve', '--with-worker'], serveEnv(port, dir), 20_000, {
      cwd: dir,
    });
    try {
      expect(redisPids(port)).toHaveLength(1);
      expect(existsSync(join(dir, 'var', 'redis', String(port), 'appendonlydir'))).toBe(true);
      const ready = await fetch(`http://127.0.0.1:${serve.port}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    expect(redisPids(port)).toEqual([]);
    expect(serve.output()).toContain('embedded redis-server stopped');
  });

  it('a SIGKILLed serve takes its Redis along (nothing left running)', async () => {
    const port = await freePort();
    const dir = tmp();
    const serve = await startPortbot(['serve'], serveEnv(port, dir), 20_000, { cwd: dir });
    try {
      expect(redisPids(port)).toHaveLength(1);
    } finally {
      await serve.kill();
    }
    await until('the embedded Redis gone', () => redisPids(port).length === 0);
    expect(await pingRedis(HOST, port)).toBe('none');
  });

  it('exits 2 with the install hint when redis-server is missing', async () => {
    const port = await freePort();
    const dir = tmp();
    const child = spawn(process.execPath, [PORTBOT_BIN, 'serve'], {
      env: serveEnv(port, dir, '/nonexistent'),
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('apt-get install redis-server');
    expect(await pingRedis(HOST, port)).toBe('none');
  });
});
