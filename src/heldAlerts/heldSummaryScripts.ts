/**
 * A held summary is a hash (count, channel, cap, the post slot of its message) and a sorted set
 * of the distinct targets held, scored in the order they were first held.
 */

// KEYS[1] hash, KEYS[2] targets; ARGV: channel, perMinute, ttlSeconds, maxTracked, target…
// Targets beyond maxTracked are not stored (a flood must not grow the set without bound): the
// hash counts them in `untracked`, so the message can say its list is not complete.
export const RECORD_HELD = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'channel', ARGV[1], 'count', 0, 'seq', 0, 'untracked', 0, 'shownCount', 0)
end
redis.call('HSET', KEYS[1], 'perMinute', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'count', #ARGV - 4)
local max = tonumber(ARGV[4])
for i = 5, #ARGV do
  if not redis.call('ZSCORE', KEYS[2], ARGV[i]) then
    if redis.call('ZCARD', KEYS[2]) < max then
      redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[1], 'seq', 1), ARGV[i])
    else
      redis.call('HINCRBY', KEYS[1], 'untracked', 1)
    end
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

// KEYS[1] hash; ARGV: count. Jobs may finish out of order: what is shown only ever grows.
export const MARK_SHOWN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'shownCount') or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'shownCount', ARGV[1])
return 1
`;
