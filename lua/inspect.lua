-- inspect: (operator) everything stored about one job of a queue, read in one atomic step so the state
-- shown is one the job really was in. Read only.
--
-- KEYS[1] delayed   zset   id -> releaseAt (epoch ms)
-- KEYS[2] claimed   zset   id -> claim deadline (epoch ms)
-- KEYS[3] abandoned zset   id -> abandoned at (epoch ms)
-- KEYS[4] data      hash   id -> job JSON (stored form)
-- KEYS[5] meta      hash   "<id>:a" attempts, "<id>:e" last error
-- KEYS[6] expired   zset   id -> expired at (epoch ms)
-- ARGV[1] id
-- Returns { state, job JSON or false, state time (epoch ms, 0 = none), attempts, last error or false }
--   state: "ready" | "delayed" | "claimed" | "abandoned" | "expired" | "missing" (nothing stored under the id).
--   A job is ready when its data is stored and no zset holds it (each id is in exactly one state).

local delayedKey, claimedKey, abandonedKey, dataKey, metaKey, expiredKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local id = ARGV[1]

local json = redis.call('HGET', dataKey, id)
local state, since = 'missing', 0
for _, pair in ipairs({ { 'delayed', delayedKey }, { 'claimed', claimedKey }, { 'abandoned', abandonedKey },
    { 'expired', expiredKey } }) do
  local score = redis.call('ZSCORE', pair[2], id)
  if score then
    state, since = pair[1], tonumber(score)
    break
  end
end
if state == 'missing' and json then state = 'ready' end
local attempts = tonumber(redis.call('HGET', metaKey, id .. ':a') or '0')
return { state, json or false, since, attempts, redis.call('HGET', metaKey, id .. ':e') or false }
