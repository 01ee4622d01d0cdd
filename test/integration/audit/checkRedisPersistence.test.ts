import { Redis } from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRedisPersistence,
  warnWithoutPersistence,
} from '../../../src/service/checkRedisPersistence';
import { freePort, startPrivateRedis, type StartedRedis } from '../../support/redisServer';

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

describe('checkRedisPersistence against a real redis-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-persist-'));
  const started: StartedRedis[] = [];
  afterAll(async () => {
    for (const s of started) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns once when the server has neither AOF nor RDB', async () => {
    const s = await startPrivateRedis(await freePort(), join(dir), [
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    started.push(s);
    const { warns, log } = recordingLog();
    const result = await checkRedisPersistence(s.redis, 'audit', ['audit'], log);
    expect(result).toEqual({ persistent: false, appendonly: 'no', save: '' });
    expect(warns).toHaveLength(1);
    expect(warns[0]?.obj).toEqual({
      redis: 'audit',
      holds: ['audit'],
      appendonly: 'no',
      save: '',
    });
  });

  it('stays quiet when AOF is on', async () => {
    const s = await startPrivateRedis(await freePort(), join(dir), [
      '--save',
      '',
      '--appendonly',
      'yes',
    ]);
    started.push(s);
    const { warns, log } = recordingLog();
    const result = await checkRedisPersistence(s.redis, 'audit', ['audit'], log);
    expect(result.persistent).toBe(true);
    expect(result.appendonly).toBe('yes');
    expect(warns).toHaveLength(0);
  });

  it('says persistence is unknown, without throwing, when CONFIG is renamed away', async () => {
    // rename-command is accepted only from a config file.
    const conf = join(dir, 'no-config.conf');
    writeFileSync(conf, 'rename-command CONFIG ""\n');
    const s = await startPrivateRedis(
      await freePort(),
      dir,
      ['--save', '', '--appendonly', 'no'],
      conf,
    );
    started.push(s);
    const { warns, log } = recordingLog();
    const result = await checkRedisPersistence(s.redis, 'audit', ['audit'], log);
    expect(result.persistent).toBe('unknown');
    expect(warns).toHaveLength(1);
    expect(warns[0]?.msg).toMatch(/unknown: CONFIG GET unavailable/);
  });

  it('a Redis that went away is reported as not answering, not as CONFIG being disabled', async () => {
    const s = await startPrivateRedis(await freePort(), dir, ['--save', '', '--appendonly', 'no']);
    const redis = new Redis({ port: s.port, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    await redis.ping();
    await s.stop();
    const { warns, log } = recordingLog();
    const result = await checkRedisPersistence(redis, 'state', ['state'], log);
    redis.disconnect();
    expect(result.persistent).toBe('unknown');
    expect(warns).toHaveLength(1);
    expect(warns[0]?.msg).toBe('redis persistence not checked: Redis did not answer CONFIG GET');
  });

  it('with the audit log kept apart, a state Redis without persistence still gets its own warn line', async () => {
    const audit = await startPrivateRedis(await freePort(), dir, [
      '--save',
      '',
      '--appendonly',
      'yes',
    ]);
    const state = await startPrivateRedis(await freePort(), dir, [
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    started.push(audit, state);
    const { warns, log } = recordingLog();
    await warnWithoutPersistence(true, state.redis, audit.redis, log);
    expect(warns).toHaveLength(1);
    expect(warns[0]?.obj).toEqual({ redis: 'state', holds: ['state'], appendonly: 'no', save: '' });
    expect(warns[0]?.msg).toMatch(/^STATE REDIS HAS NO PERSISTENCE .*fencing tokens/);
  });

  it('one Redis for both: one warn line, the audit one, naming both', async () => {
    const both = await startPrivateRedis(await freePort(), dir, [
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    started.push(both);
    const { warns, log } = recordingLog();
    await warnWithoutPersistence(false, both.redis, both.redis, log);
    expect(warns).toHaveLength(1);
    expect(warns[0]?.obj).toMatchObject({ redis: 'state', holds: ['audit', 'state'] });
    expect(warns[0]?.msg).toMatch(/^AUDIT REDIS HAS NO PERSISTENCE/);
  });

  it('a state Redis kept by RDB snapshots alone gets a rollback warning; an audit-only one does not', async () => {
    const rdb = await startPrivateRedis(await freePort(), dir, [
      '--save',
      '3600 1',
      '--appendonly',
      'no',
    ]);
    started.push(rdb);
    const { warns, log } = recordingLog();
    const result = await checkRedisPersistence(rdb.redis, 'state', ['state'], log);
    expect(result.persistent).toBe(true);
    expect(warns).toHaveLength(1);
    expect(warns[0]?.obj).toEqual({
      redis: 'state',
      holds: ['state'],
      appendonly: 'no',
      save: '3600 1',
    });
    expect(warns[0]?.msg).toMatch(/^STATE REDIS PERSISTS BY RDB SNAPSHOTS ONLY .*approvals/);
    const auditOnly = recordingLog();
    await checkRedisPersistence(rdb.redis, 'audit', ['audit'], auditOnly.log);
    expect(auditOnly.warns).toHaveLength(0);
  });
});
