-- run-now: (operator) a delayed job (waiting for its release time or backing off after a failure)
-- goes to the claim end of ready, so the next claim takes it. Its attempts and last error are kept.
--
-- KEYS[1] delayed   zset   id -> releaseAt (epoch ms)
-- KEYS[2] ready     list   ids
-- ARGV[1] id
-- Returns { moved (1 | 0 = not delayed, nothing changed), readyWasEmpty (1|0) }

local delayedKey, readyKey = KEYS[1], KEYS[2]
local id = ARGV[1]

if redis.call('ZREM', delayedKey, id) == 0 then
  return { 0, 0 }
end
local readyWasEmpty = redis.call('LLEN', readyKey) == 0 and 1 or 0
redis.call('RPUSH', readyKey, id)
return { 1, readyWasEmpty }
