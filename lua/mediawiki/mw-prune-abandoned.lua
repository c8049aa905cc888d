-- mw-prune-abandoned: (chron, MediaWiki mode) deletes the abandoned jobs of one MediaWiki queue whose last
-- claim is at or before the cutoff, at most `limit`; drops the queue from jobrunner's abandoned set once
-- nothing is abandoned. It exists because a queue holding only abandoned jobs leaves s-queuesWithJobs and
-- would otherwise never be visited again (the PHP chron leaked such jobs for ever).
--
-- KEYS[1] z-abandoned  zset  id -> claim time of the last claim (unix s)
-- KEYS[2] h-attempts   hash  id -> claims so far
-- KEYS[3] h-data       hash  id -> job blob
-- KEYS[4] <key-prefix>:s-queuesWithAbandoned  set  queue key prefixes
-- ARGV[1] prune cutoff (unix s)
-- ARGV[2] limit (1..1000)
-- ARGV[3] the queue's key prefix "<W>:jobqueue:<T>:", the member of KEYS[4]
-- Returns { pruned, left, more }: more = 1 when `limit` jobs were deleted (call again)
-- Errors: "JR_BAD_ARGS ..."
local kAbandoned, kAttempts, kData, kWithAbandoned = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local cutoff = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local keyPrefix = ARGV[3]

if not cutoff then
  return redis.error_reply('JR_BAD_ARGS cutoff must be a number')
end
if not limit or limit < 1 or limit > 1000 then
  return redis.error_reply('JR_BAD_ARGS limit must be 1..1000')
end
if not keyPrefix or keyPrefix == '' then
  return redis.error_reply('JR_BAD_ARGS key prefix must not be empty')
end

local old = redis.call('ZRANGEBYSCORE', kAbandoned, '-inf', cutoff, 'LIMIT', 0, limit)
for _, id in ipairs(old) do
  redis.call('ZREM', kAbandoned, id)
  redis.call('HDEL', kAttempts, id)
  redis.call('HDEL', kData, id)
end
local left = redis.call('ZCARD', kAbandoned)
if left == 0 then
  redis.call('SREM', kWithAbandoned, keyPrefix)
end
local more = 0
if #old >= limit then more = 1 end
return { #old, left, more }
