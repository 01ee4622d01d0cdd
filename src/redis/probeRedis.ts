import { Redis } from 'ioredis';
import type { RedisFacts } from '../domain/DoctorProbes';
import { configGet } from './configGet';

/**
 * What `portbot doctor` asks a Redis: INFO server and memory (version, maxmemory_policy; INFO
 * works where managed services disable CONFIG) and CONFIG GET appendonly/save for persistence.
 * One connection, no reconnects, every step within timeoutMs; answers instead of throwing.
 */
export async function probeRedis(url: string, timeoutMs: number): Promise<RedisFacts> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Without a listener ioredis prints every connection error as "Unhandled error event"; the
  // event also carries the cause (ECONNREFUSED, WRONGPASS) that connect() reports only as closed.
  let lastError: string | undefined;
  redis.on('error', (err: Error) => {
    lastError = err.message;
  });
  try {
    await redis.connect();
    const server = await redis.info('server');
    const memory = await redis.info('memory');
    const appendonly = await configGet(redis, 'appendonly');
    const save = await configGet(redis, 'save');
    return { reachable: true, info: `${server}\n${memory}`, appendonly, save };
  } catch (err) {
    return {
      reachable: false,
      error: lastError ?? (err instanceof Error ? err.message : String(err)),
    };
  } finally {
    redis.disconnect();
  }
}
