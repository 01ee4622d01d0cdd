import { Redis } from 'ioredis';

/** The machine's Redis (CI starts it when absent); each suite gets its own database index. */
export const TEST_REDIS_HOST = process.env.PORTBOT_TEST_REDIS_HOST ?? '127.0.0.1';
export const TEST_REDIS_PORT = Number(process.env.PORTBOT_TEST_REDIS_PORT ?? 6379);

export async function connectTestRedis(db: number): Promise<Redis> {
  const redis = new Redis({
    host: TEST_REDIS_HOST,
    port: TEST_REDIS_PORT,
    db,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  await redis.connect();
  await redis.flushdb();
  return redis;
}

export function testRedisUrl(db: number): string {
  return `redis://${TEST_REDIS_HOST}:${TEST_REDIS_PORT}/${db}`;
}
