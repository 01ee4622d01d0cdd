import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { checkAuditPersistence } from '../../../src/service/checkAuditPersistence';

interface Started {
  child: ChildProcess;
  redis: Redis;
}

/** A real redis-server on a private port with its own directory, so no other test's Redis is touched. */
async function startRedis(
  port: number,
  dir: string,
  args: string[],
  conf?: string,
): Promise<Started> {
  const confArgs = conf === undefined ? [] : [conf];
  const child = spawn(
    'redis-server',
    [...confArgs, '--port', String(port), '--dir', dir, ...args],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (let i = 0; i < 50; i++) {
    // A server that could not bind exits: never test against whatever else holds the port.
    if (gone) throw new Error(`redis-server on ${port} exited (port in use?)`);
    // A fresh client per attempt: a refused ioredis client keeps reconnecting on its own.
    const redis = new Redis({
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      await sleep(50);
      if (gone) {
        redis.disconnect();
        throw new Error(`redis-server on ${port} exited (port in use?)`);
      }
      return { child, redis };
    } catch {
      redis.disconnect();
      await sleep(100);
    }
  }
  child.kill();
  throw new Error(`redis-server on ${port} did not start`);
}

function recordingLog() {
  const warns: { obj: object; msg: string }[] = [];
  const noop = () => undefined;
  return {
    warns,
    log: {
      info: noop,
      debug: noop,
      error: noop,
      warn: (obj: object, msg: string) => warns.push({ obj, msg }),
    },
  };
}

describe('checkAuditPersistence against a real redis-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-persist-'));
  const started: Started[] = [];
  afterAll(async () => {
    for (const s of started) {
      s.redis.disconnect();
      s.child.kill();
    }
    await sleep(200);
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns once when the server has neither AOF nor RDB', async () => {
    const s = await startRedis(6394, join(dir), ['--save', '', '--appendonly', 'no']);
    started.push(s);
    const { warns, log } = recordingLog();
    const result = await checkAuditPersistence(s.redis, 'audit', log);
    expect(result).toEqual({ persistent: false, appendonly: 'no', save: '' });
    expect(warns).toHaveLength(1);
    expect(warns[0]?.obj).toEqual({ redis: 'audit', appendonly: 'no', save: '' });
  });

  it('stays quiet when AOF is on', async () => {
    const s = await startRedis(6395, join(dir), ['--save', '', '--appendonly', 'yes']);
    started.push(s);
    const { warns, log } = recordingLog();
    const result = await checkAuditPersistence(s.redis, 'audit', log);
    expect(result.persistent).toBe(true);
    expect(result.appendonly).toBe('yes');
    expect(warns).toHaveLength(0);
  });

  it('says persistence is unknown, without throwing, when CONFIG is renamed away', async () => {
    // rename-command is accepted only from a config file.
    const conf = join(dir, 'no-config.conf');
    writeFileSync(conf, 'rename-command CONFIG ""\n');
    const s = await startRedis(6396, dir, ['--save', '', '--appendonly', 'no'], conf);
    started.push(s);
    const { warns, log } = recordingLog();
    const result = await checkAuditPersistence(s.redis, 'audit', log);
    expect(result.persistent).toBe('unknown');
    expect(warns).toHaveLength(1);
    expect(warns[0]?.msg).toMatch(/unknown/);
  });
});
