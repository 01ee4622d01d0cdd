/**
 * Lua run atomically by Redis, so concurrent `serve` processes agree on one incident per
 * (host, port). Keys are derived inside the script from a prefix: fine on a single Redis or a
 * primary with replicas (the deployments BullMQ supports here), not on Redis Cluster.
 */

// KEYS[1] current-incident pointer for host:port, KEYS[2] id sequence, KEYS[3] open set
// ARGV: prefix, host, port, channel, summary, now, rediagnoseIntervalMs, ttlSeconds
export const RECORD_FIRING = `
local id = redis.call('GET', KEYS[1])
if id then
  local h = ARGV[1] .. id
  if redis.call('HGET', h, 'status') == 'open' then
    local count = redis.call('HINCRBY', h, 'alertCount', 1)
    redis.call('HSET', h, 'lastAlertAt', ARGV[6])
    local last = tonumber(redis.call('HGET', h, 'lastDiagnosedAt') or '0')
    local diag = 0
    if tonumber(ARGV[6]) - last >= tonumber(ARGV[7]) then
      redis.call('HSET', h, 'lastDiagnosedAt', ARGV[6])
      diag = 1
    end
    redis.call('EXPIRE', h, ARGV[8])
    redis.call('EXPIRE', KEYS[1], ARGV[8])
    -- scored by the last alert: countOpen() forgets incidents only after their TTL of silence
    redis.call('ZADD', KEYS[3], ARGV[6], id)
    return {'repeat', id, diag, redis.call('HGETALL', h)}
  end
end
local seq = redis.call('INCR', KEYS[2])
id = 'INC-' .. seq
local h = ARGV[1] .. id
redis.call('HSET', h, 'id', id, 'host', ARGV[2], 'port', ARGV[3], 'status', 'open', 'channel', ARGV[4],
  'summary', ARGV[5], 'alertCount', 1, 'openedAt', ARGV[6], 'lastAlertAt', ARGV[6], 'lastDiagnosedAt', ARGV[6])
redis.call('EXPIRE', h, ARGV[8])
redis.call('SET', KEYS[1], id, 'EX', ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[6], id)
return {'opened', id, 1, redis.call('HGETALL', h)}
`;

// KEYS[1] current-incident pointer, KEYS[2] open set; ARGV: prefix, now
export const RECORD_RESOLVED = `
local id = redis.call('GET', KEYS[1])
if not id then return {'not-open'} end
local h = ARGV[1] .. id
if redis.call('HGET', h, 'status') ~= 'open' then return {'not-open'} end
redis.call('HSET', h, 'status', 'resolved', 'resolvedAt', ARGV[2])
redis.call('ZREM', KEYS[2], id)
return {'resolved', id, redis.call('HGETALL', h)}
`;

// KEYS[1] incident hash; ARGV: channel, ts
export const SET_ROOT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'rootTs', ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'channel', ARGV[1])
return 1
`;

// KEYS[1] id sequence; ARGV: prefix, host, port, channel, summary, now, ttlSeconds, requestedBy
export const OPEN_CHECK = `
local id = 'CHK-' .. redis.call('INCR', KEYS[1])
local h = ARGV[1] .. id
redis.call('HSET', h, 'id', id, 'host', ARGV[2], 'port', ARGV[3], 'status', 'open', 'channel', ARGV[4],
  'summary', ARGV[5], 'alertCount', 0, 'openedAt', ARGV[6], 'lastAlertAt', ARGV[6], 'lastDiagnosedAt', ARGV[6],
  'requestedBy', ARGV[8])
redis.call('EXPIRE', h, ARGV[7])
return id
`;

// KEYS[1] incident hash; ARGV: diagnosis JSON. Answers the incident as it stands after the save,
// so the root message shows the repeats counted meanwhile; nil when the incident expired (HSET
// would recreate its hash without a TTL: a key leaked forever).
export const SAVE_DIAGNOSIS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
redis.call('HSET', KEYS[1], 'diagnosis', ARGV[1])
return redis.call('HGETALL', KEYS[1])
`;
