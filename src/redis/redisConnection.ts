import { Redis } from 'ioredis';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on its connections (blocking commands must wait
 * through reconnects); the incident store fails fast instead so an HTTP request gets a 503.
 */
export function redisForQueue(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * Producers (serve) must fail fast too: with `maxRetriesPerRequest: null` a Queue.add waits
 * through a Redis outage and alert requests hang instead of answering 503.
 */
export function redisForProducer(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2 });
}

export function redisForState(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
