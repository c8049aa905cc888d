-- release: end a claim without success, atomically, if the caller still holds it.
--   retry    -> delayed until the server's time plus ARGV[4] (or the push end of ready for no delay); error kept
--   abandon  -> abandoned (permanent failure or out of attempts); error kept for the operator
--   requeue  -> the claim end of ready, the attempt not counted (runner shutdown, a buffered job never started)
-- A job that waits again (retry, requeue) gets its dedup entry back, unless an equal job took it meanwhile; an
-- abandoned one drops it if it still holds it (until-finished: it ends here).
-- One script for the three outcomes (ReleaseOutcome on the Java side): they share the token check, the claim's
-- removal and the error kept, which must be atomic with each of them; three scripts would repeat those lines.
-- Fields are checked before the first write: a requeue of a job whose attempts field is not a whole number
-- abandons it with that reason instead. The first write (ZREM) is one Redis does not refuse at maxmemory.
--
-- KEYS[1] claimed   zset   id -> claim deadline
-- KEYS[2] ready     list   ids
-- KEYS[3] delayed   zset   id -> release time (epoch ms, server clock)
-- KEYS[4] abandoned zset   id -> abandoned at (epoch ms, server clock)
-- KEYS[5] meta      hash   "<id>:a" attempts, "<id>:t" token, "<id>:s" started, "<id>:e" last error, "<id>:d" dedup key
-- KEYS[6] dedup     hash   dedup key -> id
-- KEYS[7] prioritized zset ids of priority 1..9 ("<id>:p"): where a job with a priority waits instead of ready
-- ARGV[1] id
-- ARGV[2] claim token
-- ARGV[3] outcome: retry | abandon | requeue
-- ARGV[4] retry delay (ms, >= 0), for retry
-- ARGV[5] error text ('' = none; the caller bounds its length)
-- Returns { status, readyWasEmpty (1|0), due at (epoch ms, server clock; 0 = none) }
--   status 1 = released; 0 = stale token (the claim is no longer the caller's; nothing changed)
-- Errors: "JR_BAD_ARGS ...".

local claimedKey, readyKey, delayedKey, abandonedKey, metaKey, dedupKey, prioKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local id, token, outcome, delay, err = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]

if not delay or delay < 0 or not err or (outcome ~= 'retry' and outcome ~= 'abandon' and outcome ~= 'requeue') then
  return redis.error_reply('JR_BAD_ARGS release expects id, token, retry|abandon|requeue, a delay >= 0, error')
end
local m = redis.call('HMGET', metaKey, id .. ':t', id .. ':a', id .. ':d', id .. ':p')
if m[1] ~= token then
  return { 0, 0, 0 }
end
local attempts = tonumber(m[2])
if outcome == 'requeue' and m[2] and not (attempts and attempts == math.floor(attempts) and attempts >= 1) then
  outcome = 'abandon'
  err = 'corrupt job record, abandoned at requeue: attempts field is not a whole number >= 1: ' .. m[2]
end

-- #include ready-put.lua

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZREM', claimedKey, id)
redis.call('HDEL', metaKey, id .. ':t', id .. ':s')
if err ~= '' then redis.call('HSET', metaKey, id .. ':e', err) end

if outcome == 'abandon' then
  redis.call('ZADD', abandonedKey, now, id)
  if m[3] and redis.call('HGET', dedupKey, m[3]) == id then redis.call('HDEL', dedupKey, m[3]) end
  return { 1, 0, 0 }
end
if m[3] and redis.call('HEXISTS', dedupKey, m[3]) == 0 then redis.call('HSET', dedupKey, m[3], id) end
if outcome == 'retry' and delay > 0 then
  redis.call('ZADD', delayedKey, now + delay, id)
  return { 1, 0, now + delay }
end
local readyWasEmpty = (redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0) and 1 or 0
if outcome == 'requeue' then
  if m[2] then redis.call('HINCRBY', metaKey, id .. ':a', -1) end
  readyPut(readyKey, prioKey, id, m[4], true)
else
  readyPut(readyKey, prioKey, id, m[4], false)
end
return { 1, readyWasEmpty, 0 }
