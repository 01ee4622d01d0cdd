import { wantsEmbeddedRedis } from './wantsEmbeddedRedis';

/**
 * With no Redis named, `doctor` and `audit` must look at the Redis serve and worker use: the one
 * on 127.0.0.1 at PORTBOT_EMBEDDED_REDIS_PORT, not always 6379. The port itself is validated by
 * the schema that reads the result.
 */
export function withEmbeddedRedisDefault(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const port = env.PORTBOT_EMBEDDED_REDIS_PORT?.trim();
  // Anything but a plain number is left for the schema to refuse with the variable's own name.
  if (!wantsEmbeddedRedis(env) || !port || !/^\d{1,5}$/.test(port)) return env;
  return { ...env, REDIS_URL: `redis://127.0.0.1:${Number(port)}` };
}
