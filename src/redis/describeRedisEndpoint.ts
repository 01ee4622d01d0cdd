import type { RedisEndpoint } from '../domain/RedisEndpoint';
import { maskRedisUrl } from './maskRedisUrl';

/** For logs and `portbot doctor`: the URL (password masked), or the master name and its Sentinels. */
export function describeRedisEndpoint(endpoint: RedisEndpoint): string {
  if (endpoint.kind === 'url') return maskRedisUrl(endpoint.url);
  const sentinels = endpoint.sentinels
    .map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`)
    .join(',');
  return `master '${endpoint.name}' via Sentinels ${sentinels}`;
}
