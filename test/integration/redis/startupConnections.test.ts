import type { Redis } from 'ioredis';
import { closeRedis } from '../../../src/redis/closeRedis';
import { redisForRequests } from '../../../src/redis/redisConnection';
import { whenRedisReady } from '../../../src/redis/whenRedisReady';
import { freePort } from '../../support/redisServer';
import { testRedisUrl } from '../../support/testRedis';

/**
 * serve's request connections (no offline queue) at start-up and stop, against the real Redis
 * and a port nothing listens on: a connection that never became ready is closed without an
 * error that would hide why serve stopped, and the persistence check waits for `ready`.
 */
function ended(redis: Redis): Promise<void> {
  return new Promise((resolve) => {
    if (redis.status === 'end') resolve();
    else redis.once('end', () => resolve());
  });
}

describe('start-up connections', () => {
  it('waits for ready, then a command goes through', async () => {
    const redis = redisForRequests({ kind: 'url', url: testRedisUrl(0) }, 2000);
    expect(redis.status).not.toBe('ready');
    expect(await whenRedisReady(redis, 5000)).toBe(true);
    expect(await redis.ping()).toBe('PONG');
    await closeRedis(redis);
    await ended(redis);
    expect(redis.status).toBe('end');
  });

  it('gives up after its timeout on a Redis that does not answer, without throwing', async () => {
    const redis = redisForRequests(
      { kind: 'url', url: `redis://127.0.0.1:${await freePort()}` },
      500,
    );
    redis.on('error', () => undefined);
    expect(await whenRedisReady(redis, 300)).toBe(false);
    // QUIT on it would throw "Stream isn't writeable"; closing must still succeed.
    await expect(redis.quit()).rejects.toThrow(/writeable|Connection is closed/);
    await closeRedis(redis);
    // dropped for good: no further connect attempts keep the process alive
    let attempts = 0;
    redis.on('connecting', () => (attempts += 1));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(attempts).toBe(0);
  });
});
