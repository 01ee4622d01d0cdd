import type { EnvConfig } from '../config/EnvConfigSchema';
import { redisEndpoint } from '../config/RedisEnvSchema';
import { createHttpServer } from '../http/createHttpServer';
import type { Logger } from '../observability/createLogger';
import type { Metrics } from '../observability/createMetrics';
import { closeRedis } from '../redis/closeRedis';
import { redisForRequests } from '../redis/redisConnection';
import { logRedisState } from './logRedisState';

/**
 * /healthz, /readyz and /metrics on a listener of their own: `portbot worker` on
 * PORTBOT_WORKER_HTTP_PORT (it has no other), `portbot serve` on PORTBOT_HEALTH_PORT, so
 * public traffic holding every connection of the main listener cannot make a liveness probe
 * fail or a scrape miss. No Slack and no alert routes; readiness is "Redis answers" on a
 * connection of its own (a busy queue connection cannot make the probe lie) plus `checks`.
 */
export async function startHealthListener(
  env: EnvConfig,
  port: number,
  deps: {
    log: Logger;
    metrics: Metrics;
    component: string;
    checks?: Record<string, () => Promise<boolean>>;
  },
): Promise<{ port: number; close: () => Promise<void> }> {
  const log = deps.log.child({ component: deps.component });
  const redis = redisForRequests(redisEndpoint(env), env.PORTBOT_REDIS_TIMEOUT_MS);
  logRedisState(redis, 'health', log);
  const server = createHttpServer({
    readiness: { redis: async () => (await redis.ping()) === 'PONG', ...deps.checks },
    registry: deps.metrics.registry,
    log,
    maxConnectionsPerAddress: env.PORTBOT_MAX_CONNECTIONS_PER_ADDRESS,
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
  log.info({ port: bound }, 'health listener listening');
  return {
    port: bound,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await closeRedis(redis);
    },
  };
}
