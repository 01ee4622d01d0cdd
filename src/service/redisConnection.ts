import { Redis } from 'ioredis';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on its connections (blocking commands must wait
 * through reconnects); the incident store fails fast instead so an HTTP request gets a 503.
 */
export function redisForQueue(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function redisForState(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
