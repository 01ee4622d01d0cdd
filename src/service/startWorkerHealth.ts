import type { EnvConfig } from '../config/EnvConfigSchema';
import { redisEndpoint } from '../config/RedisEnvSchema';
import { createHttpServer } from '../http/createHttpServer';
import type { Logger } from '../observability/createLogger';
import type { Metrics } from '../observability/createMetrics';
import { redisForRequests } from '../redis/redisConnection';
import { logRedisState } from './logRedisState';

/**
 * `portbot worker`'s own /healthz, /readyz and /metrics on PORTBOT_WORKER_HTTP_PORT: the worker
 * records the diagnosis and SSH metrics, and an orchestrator needs something to probe. No Slack
 * and no alert routes; readiness is "Redis answers", on a connection of its own so a busy queue
 * connection cannot make the probe lie.
 */
export async function startWorkerHealth(
  env: EnvConfig,
  port: number,
  deps: { log: Logger; metrics: Metrics },
): Promise<{ port: number; close: () => Promise<void> }> {
  const log = deps.log.child({ component: 'worker-http' });
  const redis = redisForRequests(redisEndpoint(env), env.PORTBOT_REDIS_TIMEOUT_MS);
  logRedisState(redis, 'health', log);
  const server = createHttpServer({
    readiness: { redis: async () => (await redis.ping()) === 'PONG' },
    registry: deps.metrics.registry,
    log,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, resolve);
    });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  log.info({ port: bound }, 'worker health listening');
  return {
    port: bound,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await redis.quit();
    },
  };
}
