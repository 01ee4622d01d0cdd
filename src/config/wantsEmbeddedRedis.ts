/**
 * serve and worker use (or start) the Redis on 127.0.0.1 only when no Redis is named at all:
 * neither REDIS_URL nor Sentinels. An empty variable counts as unset, as in loadEnvConfig.
 */
export function wantsEmbeddedRedis(env: Readonly<Record<string, string | undefined>>): boolean {
  return !env.REDIS_URL && !env.REDIS_SENTINELS;
}
