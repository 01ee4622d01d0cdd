/**
 * The post-once state machine on a Redis hash: `<p>Ts` set = posted; `<p>Claim` + `<p>Until` =
 * claimed until that time (ms, Redis clock, so workers' clocks do not matter); `<p>Dirty` = an
 * earlier claim may have posted (crash or unclear failure): the next claimer searches first.
 */

// KEYS[1] hash; ARGV: field prefix, token, leaseMs, mustExist (1/0), ttlSeconds, channelField
export const CLAIM_POST = `
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local p = ARGV[1]
local ts = redis.call('HGET', KEYS[1], p .. 'Ts')
if ts then return {'posted', redis.call('HGET', KEYS[1], ARGV[6]) or '', ts} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local holder = redis.call('HGET', KEYS[1], p .. 'Claim')
local untilMs = tonumber(redis.call('HGET', KEYS[1], p .. 'Until') or '0')
if holder and holder ~= ARGV[2] and untilMs > now then return {'busy', tostring(untilMs - now)} end
local state = 'claimed'
if holder or redis.call('HEXISTS', KEYS[1], p .. 'Dirty') == 1 then state = 'recovering' end
redis.call('HSET', KEYS[1], p .. 'Claim', ARGV[2], p .. 'Until', now + tonumber(ARGV[3]), p .. 'Dirty', '1')
if ARGV[4] == '0' then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
return {state}
`;

// KEYS[1] hash; ARGV: field prefix, token, leaseMs, channelField
// Right before the post leaves: still our claim → renew it; recorded meanwhile → adopt; else lost.
export const CONFIRM_POST = `
local p = ARGV[1]
local ts = redis.call('HGET', KEYS[1], p .. 'Ts')
if ts then return {'posted', redis.call('HGET', KEYS[1], ARGV[4]) or '', ts} end
if redis.call('HGET', KEYS[1], p .. 'Claim') ~= ARGV[2] then return {'lost'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], p .. 'Until', now + tonumber(ARGV[3]))
return {'held'}
`;

// KEYS[1] hash; ARGV: field prefix, channel, ts, channelField
export const RECORD_POST = `
local p = ARGV[1]
local ts = redis.call('HGET', KEYS[1], p .. 'Ts')
if ts then return {redis.call('HGET', KEYS[1], ARGV[4]) or ARGV[2], ts} end
if redis.call('EXISTS', KEYS[1]) == 0 then return {ARGV[2], ARGV[3]} end
redis.call('HSET', KEYS[1], p .. 'Ts', ARGV[3], ARGV[4], ARGV[2])
redis.call('HDEL', KEYS[1], p .. 'Claim', p .. 'Until', p .. 'Dirty')
return {ARGV[2], ARGV[3]}
`;

// KEYS[1] hash; ARGV: field prefix, token
// Only for a post Slack surely refused. A post that may have landed keeps its claim (and Dirty)
// until the lease ends: a request still in flight lands before the next claimer searches.
export const ABANDON_POST = `
local p = ARGV[1]
if redis.call('HGET', KEYS[1], p .. 'Claim') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], p .. 'Claim', p .. 'Until', p .. 'Dirty')
return 1
`;
