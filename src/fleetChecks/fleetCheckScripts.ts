/** Lua run atomically by Redis; same key conventions as src/incidents/incidentScripts.ts. */

// KEYS[1] id sequence; ARGV: prefix, scope kind, group ('' for all), port, channel, requestedBy,
// now, ttlSeconds
export const OPEN_FLEET_CHECK = `
local id = 'FLEET-' .. redis.call('INCR', KEYS[1])
local h = ARGV[1] .. id
redis.call('HSET', h, 'id', id, 'scope', ARGV[2], 'port', ARGV[4], 'channel', ARGV[5],
  'requestedBy', ARGV[6], 'openedAt', ARGV[7])
if ARGV[3] ~= '' then redis.call('HSET', h, 'group', ARGV[3]) end
redis.call('EXPIRE', h, ARGV[8])
return redis.call('HGETALL', h)
`;
