/**
 * Compare-and-append. Redis Lua has no sha256, so Node computes the events' hashes from the head
 * it last saw, and this script XADDs them only if the head is still that one (seq and hash).
 * Otherwise it returns the current head, so the caller rebuilds the batch and retries without
 * another round trip. Stream and head change in one script: they never disagree.
 *
 * KEYS[1] stream, KEYS[2] head hash
 * ARGV: expectedSeq, expectedHash, newSeq, newHash, newMs, then (entryId, eventJson) pairs
 * returns {1} on append, {0, seq, hash, ms} on conflict
 */
export const APPEND_SCRIPT = `
local head = redis.call('HMGET', KEYS[2], 'seq', 'hash', 'ms')
local seq, hash, ms = head[1], head[2], head[3]
if not seq then
  -- A missing head with a non-empty stream means someone deleted it: never fork a new chain.
  if redis.call('XLEN', KEYS[1]) > 0 then
    return redis.error_reply('AUDITHEAD audit head missing but stream not empty')
  end
  seq, hash, ms = '0', '${'0'.repeat(64)}', '0'
end
if seq ~= ARGV[1] or hash ~= ARGV[2] then
  return {0, seq, hash, ms}
end
for i = 6, #ARGV, 2 do
  redis.call('XADD', KEYS[1], ARGV[i], 'event', ARGV[i + 1])
end
redis.call('HSET', KEYS[2], 'seq', ARGV[3], 'hash', ARGV[4], 'ms', ARGV[5])
return {1}
`;
