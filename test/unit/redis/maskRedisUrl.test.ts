import { maskRedisUrl } from '../../../src/redis/maskRedisUrl';

describe('maskRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://127.0.0.1:6379/2', 'redis://127.0.0.1:6379/2'],
    ['redis://:s3cret@redis.internal:6379/0', 'redis://:***@redis.internal:6379/0'],
    ['rediss://portbot:s3cret@redis.internal:6380', 'rediss://portbot:***@redis.internal:6380'],
  ])('%s → %s', (url, shown) => {
    expect(maskRedisUrl(url)).toBe(shown);
    expect(maskRedisUrl(url)).not.toContain('s3cret');
  });
});
