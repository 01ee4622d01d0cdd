import { Redis, type RedisOptions } from 'ioredis';
import type { RedisEndpoint } from '../domain/RedisEndpoint';

/** The settings portbot's connections differ in. */
type Options = Pick<
  RedisOptions,
  | 'commandTimeout'
  | 'enableOfflineQueue'
  | 'autoResendUnfulfilledCommands'
  | 'maxRetriesPerRequest'
  | 'enableReadyCheck'
  | 'lazyConnect'
  | 'connectTimeout'
  | 'retryStrategy'
  | 'disconnectTimeout'
  | 'sentinelRetryStrategy'
  | 'sentinelCommandTimeout'
>;

/**
 * The one place portbot opens a Redis connection: a URL's server, or the master the Sentinels
 * name. With Sentinel, ioredis asks the Sentinels for the master on every (re)connect and checks
 * the server's role, so after a failover the next reconnect lands on the promoted replica.
 */
function openRedis(endpoint: RedisEndpoint, options: Options, resend: boolean): Redis {
  if (endpoint.kind === 'url') return new Redis(endpoint.url, options);
  return new Redis(endpoint.url, {
    sentinels: endpoint.sentinels,
    name: endpoint.name,
    ...(endpoint.sentinelPassword ? { sentinelPassword: endpoint.sentinelPassword } : {}),
    // While no Sentinel answers (all restarting), keep asking, at most once a second.
    sentinelRetryStrategy: (times: number) => Math.min(times * 100, 1000),
    // Not ioredis' failoverDetector: with it, quit() leaves the Sentinel subscriptions open and
    // the process never exits (ioredis 6.0.0), and BullMQ closes its connections with quit().
    // A dead master drops the connection anyway; a demoted one answers READONLY (below).
    failoverDetector: false,
    // A connection that still reaches a demoted master (now a replica) gets READONLY on writes:
    // reconnect, which asks the Sentinels again. Resend only where the caller resends at all.
    reconnectOnError: (err: Error) =>
      err.message.startsWith('READONLY') ? (resend ? 2 : 1) : false,
    ...options,
  });
}

/**
 * BullMQ's connections (workers' included): `maxRetriesPerRequest: null` so blocking commands and
 * lock renewals wait through a reconnect or a failover instead of failing the job; commands
 * issued meanwhile wait in the offline queue.
 */
export function redisForQueue(endpoint: RedisEndpoint): Redis {
  return openRedis(
    endpoint,
    { maxRetriesPerRequest: null, enableReadyCheck: true, enableOfflineQueue: true },
    true,
  );
}

/**
 * serve's connections, on the path of HTTP requests: a request must answer 503 quickly when
 * Redis does not (paused, unreachable, failing over), and what it asked for must not run later
 * behind its back. So each command has a deadline, nothing waits in an offline queue to be sent
 * once Redis is back, and nothing unanswered is resent after a reconnect. (A command already
 * written to a paused Redis still runs when it resumes; the request's later steps never get sent.)
 */
export function redisForRequests(endpoint: RedisEndpoint, commandTimeoutMs: number): Redis {
  return openRedis(
    endpoint,
    {
      commandTimeout: commandTimeoutMs,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
    },
    false,
  );
}

/** The worker's state connection: a few retries across a reconnect, then the job fails and retries. */
export function redisForState(endpoint: RedisEndpoint): Redis {
  return openRedis(endpoint, { maxRetriesPerRequest: 2, enableOfflineQueue: true }, true);
}

/**
 * A short-lived command-line connection (`portbot doctor`, `portbot audit`): connects when asked,
 * never retries, so a run says Redis is down instead of hanging. `commandTimeoutMs` bounds each
 * command too (the doctor); the audit export streams for as long as it takes.
 */
export function redisForOneShot(
  endpoint: RedisEndpoint,
  timeouts: { connectMs: number; commandMs?: number },
): Redis {
  return openRedis(
    endpoint,
    {
      lazyConnect: true,
      connectTimeout: timeouts.connectMs,
      ...(timeouts.commandMs === undefined ? {} : { commandTimeout: timeouts.commandMs }),
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      // after a failed connect ioredis waits this long for a socket that never opened
      disconnectTimeout: 100,
      ...(endpoint.kind === 'sentinel'
        ? {
            sentinelRetryStrategy: () => null,
            sentinelCommandTimeout: timeouts.connectMs,
          }
        : {}),
    },
    false,
  );
}
