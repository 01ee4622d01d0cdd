import { Redis } from 'ioredis';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on its connections (blocking commands must wait
 * through reconnects); the incident store fails fast instead so an HTTP request gets a 503.
 */
export function redisForQueue(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * serve's connections, on the path of HTTP requests: a request must answer 503 quickly when
 * Redis does not (paused, unreachable), and what it asked for must not run later behind its
 * back. So each command has a deadline, nothing waits in an offline queue to be sent once Redis
 * is back, and nothing unanswered is resent after a reconnect. (A command already written to a
 * paused Redis still runs when it resumes; the request's later steps never get sent.)
 */
export function redisForRequests(url: string, commandTimeoutMs: number): Redis {
  return new Redis(url, {
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
  });
}

export function redisForState(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
