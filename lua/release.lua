-- release: end a claim without success, atomically, if the caller still holds it.
--   retry    -> delayed until ARGV[5] (or the push end of ready if that is not in the future); error kept
--   abandon  -> abandoned (permanent failure or out of attempts); error kept for the operator
--   requeue  -> the claim end of ready, the attempt not counted (runner shutdown)
--
-- KEYS[1] claimed   zset   id -> claim deadline
-- KEYS[2] ready     list   ids
-- KEYS[3] delayed   zset   id -> releaseAt (epoch ms)
-- KEYS[4] abandoned zset   id -> abandoned at (epoch ms)
-- KEYS[5] meta      hash   "<id>:a" attempts, "<id>:t" token, "<id>:e" last error
-- ARGV[1] id
-- ARGV[2] claim token
-- ARGV[3] now (epoch ms)
-- ARGV[4] outcome: retry | abandon | requeue
-- ARGV[5] retry at (epoch ms), for retry
-- ARGV[6] error text ('' = none; the caller bounds its length)
-- Returns { status, readyWasEmpty (1|0), due at (epoch ms, 0 = none) }
--   status 1 = released; 0 = stale token (the claim is no longer the caller's; nothing changed)
-- Errors: "JR_BAD_ARGS ...".

local claimedKey, readyKey, delayedKey, abandonedKey, metaKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local id, token, now, outcome = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local retryAt, err = tonumber(ARGV[5]), ARGV[6]

if not now or not retryAt or (outcome ~= 'retry' and outcome ~= 'abandon' and outcome ~= 'requeue') then
  return redis.error_reply('JR_BAD_ARGS release expects id, token, now, retry|abandon|requeue, retryAt, error')
end
if redis.call('HGET', metaKey, id .. ':t') ~= token then
  return { 0, 0, 0 }
end

redis.call('ZREM', claimedKey, id)
redis.call('HDEL', metaKey, id .. ':t')
if err ~= '' then redis.call('HSET', metaKey, id .. ':e', err) end

local readyWasEmpty = 0
if outcome == 'abandon' then
  redis.call('ZADD', abandonedKey, now, id)
  return { 1, 0, 0 }
end
if outcome == 'retry' and retryAt > now then
  redis.call('ZADD', delayedKey, retryAt, id)
  return { 1, 0, retryAt }
end
readyWasEmpty = redis.call('LLEN', readyKey) == 0 and 1 or 0
if outcome == 'requeue' then
  redis.call('HINCRBY', metaKey, id .. ':a', -1)
  redis.call('RPUSH', readyKey, id)
else
  redis.call('LPUSH', readyKey, id)
end
return { 1, readyWasEmpty, 0 }
