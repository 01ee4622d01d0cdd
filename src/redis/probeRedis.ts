import type { RedisFacts, SentinelFacts } from '../domain/DoctorProbes';
import type { RedisEndpoint } from '../domain/RedisEndpoint';
import { errorMessage } from '../domain/errorMessage';
import { configGet } from './configGet';
import { redisForOneShot } from './redisConnection';

/**
 * What `portbot doctor` asks a Redis: INFO server, memory and replication (version,
 * maxmemory_policy, replicas; INFO works where managed services disable CONFIG) and CONFIG GET
 * appendonly/save for persistence. With Sentinel, also which master the Sentinels name. One
 * connection, no reconnects, every step within timeoutMs; answers instead of throwing.
 */
export async function probeRedis(endpoint: RedisEndpoint, timeoutMs: number): Promise<RedisFacts> {
  const redis = redisForOneShot(endpoint, { connectMs: timeoutMs, commandMs: timeoutMs });
  // Without a listener ioredis prints every connection error as "Unhandled error event"; the
  // event also carries the cause (ECONNREFUSED, WRONGPASS) that connect() reports only as closed.
  let lastError: string | undefined;
  redis.on('error', (err: Error) => {
    lastError = err.message;
  });
  try {
    await redis.connect();
    const reached = `${redis.stream.remoteAddress ?? '?'}:${redis.stream.remotePort ?? '?'}`;
    const server = await redis.info('server');
    const memory = await redis.info('memory');
    const replication = await redis.info('replication');
    const appendonly = await configGet(redis, 'appendonly');
    const save = await configGet(redis, 'save');
    const facts = { reachable: true as const, info: `${server}\n${memory}\n${replication}` };
    if (endpoint.kind === 'url') return { ...facts, appendonly, save };
    const sentinel = await askSentinels(endpoint, reached, timeoutMs);
    return { ...facts, appendonly, save, sentinel };
  } catch (err) {
    return { reachable: false, error: lastError ?? errorMessage(err) };
  } finally {
    redis.disconnect();
  }
}

/** SENTINEL get-master-addr-by-name on every listed Sentinel, side by side. */
async function askSentinels(
  endpoint: Extract<RedisEndpoint, { kind: 'sentinel' }>,
  reached: string,
  timeoutMs: number,
): Promise<SentinelFacts> {
  const answers = await Promise.all(
    endpoint.sentinels.map(async ({ host, port }) => {
      const sentinel = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const client = redisForOneShot(
        {
          kind: 'url',
          url: endpoint.sentinelPassword
            ? `redis://:${encodeURIComponent(endpoint.sentinelPassword)}@${sentinel}`
            : `redis://${sentinel}`,
        },
        { connectMs: timeoutMs, commandMs: timeoutMs },
      );
      let lastError: string | undefined;
      client.on('error', (err: Error) => (lastError = err.message));
      try {
        await client.connect();
        const reply = await client.call('SENTINEL', 'get-master-addr-by-name', endpoint.name);
        return { sentinel, ...masterOf(reply) };
      } catch (err) {
        return { sentinel, master: null, error: lastError ?? errorMessage(err) };
      } finally {
        client.disconnect();
      }
    }),
  );
  return { name: endpoint.name, reached, answers };
}

function masterOf(reply: unknown): { master: string | null; error: string | null } {
  if (Array.isArray(reply) && reply.length === 2) {
    const [host, port] = reply as unknown[];
    if (typeof host === 'string' && typeof port === 'string')
      return { master: `${host}:${port}`, error: null };
  }
  return { master: null, error: 'does not monitor this master name' };
}
