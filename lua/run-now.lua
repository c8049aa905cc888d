-- run-now: (operator) a delayed job (waiting for its release time or backing off after a failure)
-- goes to the claim end of ready, so the next claim takes it. Its attempts and last error are kept.
--
-- KEYS[1] delayed   zset   id -> releaseAt (epoch ms)
-- KEYS[2] ready     list   ids
-- KEYS[3] meta      hash   "<id>:p" priority (read only)
-- KEYS[4] prioritized zset ids of priority 1..9 -> band and position: where a job with a priority waits
-- ARGV[1] id
-- Returns { moved (1 | 0 = not delayed, nothing changed), readyWasEmpty (1|0) }

local delayedKey, readyKey, metaKey, prioKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]

if redis.call('ZREM', delayedKey, id) == 0 then
  return { 0, 0 }
end
-- #include ready-put.lua

local readyWasEmpty = (redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0) and 1 or 0
readyPut(readyKey, prioKey, id, redis.call('HGET', metaKey, id .. ':p'), true)
return { 1, readyWasEmpty }
