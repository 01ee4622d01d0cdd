import { z } from 'zod';
import { boundedInt } from './boundedInt';
import type { RedisEndpoint, SentinelAddress } from '../domain/RedisEndpoint';

const redisUrl = z
  .string()
  .regex(/^rediss?:\/\/\S+$/, { error: 'expected redis://host:port[/db] or rediss://…' });

const SENTINELS_ERROR = 'expected host:port[,host:port…] (the Sentinels, e.g. 10.0.0.5:26379)';

/** `host:port,host:port`: each entry a host name or IPv4 address (or [IPv6]) and a port. */
const sentinelList = z.string().transform((text, ctx): SentinelAddress[] => {
  const out: SentinelAddress[] = [];
  for (const entry of text.split(',').map((s) => s.trim())) {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/.exec(entry);
    const port = Number(m?.[2]);
    if (!m?.[1] || !(port >= 1 && port <= 65535)) {
      ctx.addIssue({ code: 'custom', message: `${SENTINELS_ERROR}; got '${entry.slice(0, 60)}'` });
      return z.NEVER;
    }
    out.push({ host: m[1].replace(/^\[|\]$/g, ''), port });
  }
  return out;
});

/** The Redis part of the environment: serve and worker read it, and so does `portbot audit`. */
export const redisEnvFields = {
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  AUDIT_REDIS_URL: redisUrl.optional(),
  /** Sentinel mode: the master comes from these; REDIS_URL then gives credentials and db only. */
  REDIS_SENTINELS: sentinelList.optional(),
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'expected the master name the Sentinels monitor' })
    .optional(),
  /** When the Sentinels themselves require a password (`requirepass` in sentinel.conf). */
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  /**
   * With REDIS_URL (and REDIS_SENTINELS) unset, serve and worker use the Redis on 127.0.0.1 at
   * this port, starting their own redis-server (data in ./var/redis/<port>) when none answers.
   */
  PORTBOT_EMBEDDED_REDIS_PORT: boundedInt(1, 65535, 'a TCP port').default(6379),
};

const RedisEnvObject = z.object(redisEnvFields);
type RedisEnv = z.infer<typeof RedisEnvObject>;

/** The rules between the Redis variables, shared by the full env schema and RedisEnvSchema. */
export function checkRedisEnv(env: RedisEnv, ctx: z.RefinementCtx): void {
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_SENTINEL_NAME'],
      message: 'required when REDIS_SENTINELS is set: the master name the Sentinels monitor',
    });
  }
  if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_SENTINELS'],
      message: 'required when REDIS_SENTINEL_NAME is set: where the Sentinels listen',
    });
  }
  if (env.REDIS_SENTINELS && env.REDIS_URL.startsWith('rediss:')) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'rediss:// (TLS) is not supported with REDIS_SENTINELS yet; use redis://',
    });
  }
}

export const RedisEnvSchema = RedisEnvObject.superRefine(checkRedisEnv);

/** Where REDIS_URL's data lives: the URL's server, or the master the Sentinels name. */
export function redisEndpoint(env: RedisEnv): RedisEndpoint {
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME) {
    return {
      kind: 'sentinel',
      url: env.REDIS_URL,
      sentinels: env.REDIS_SENTINELS,
      name: env.REDIS_SENTINEL_NAME,
      ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
    };
  }
  return { kind: 'url', url: env.REDIS_URL };
}

/**
 * Where the audit stream lives: AUDIT_REDIS_URL names one server, reached directly (Sentinel
 * applies to REDIS_URL only); unset, the stream shares REDIS_URL's endpoint and fails over with it.
 */
export function auditRedisEndpoint(env: RedisEnv): RedisEndpoint {
  return env.AUDIT_REDIS_URL ? { kind: 'url', url: env.AUDIT_REDIS_URL } : redisEndpoint(env);
}
