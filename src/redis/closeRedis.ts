import type { Redis } from 'ioredis';

/** How long a QUIT may wait for its answer before the connection is dropped instead. */
const QUIT_WAIT_MS = 2000;

/**
 * QUIT needs a writable connection: on one that never became ready (serve stopping during
 * start-up, Redis unreachable) it throws, and on one that is reconnecting (Redis down, a Sentinel
 * failover) ioredis queues it until Redis is back, so the stop would wait for Redis forever.
 * Such a connection is dropped instead; a QUIT that gets no answer in time too.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), QUIT_WAIT_MS);
  });
  try {
    const outcome = await Promise.race([redis.quit(), late]);
    if (outcome === 'late') redis.disconnect();
  } catch {
    redis.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
