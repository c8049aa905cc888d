-- retry-abandoned: (operator) move abandoned jobs back to the push end of ready with their attempts
-- reset; all of them oldest first (bounded by ARGV[1] per call), or only the ids given. A job back in ready
-- gets its dedup entry back, unless an equal job took it meanwhile.
--
-- KEYS[1] abandoned zset   id -> abandoned at (epoch ms)
-- KEYS[2] ready     list   ids
-- KEYS[3] meta      hash   "<id>:a" attempts, "<id>:d" dedup key, "<id>:p" priority
-- KEYS[4] dedup     hash   dedup key -> id
-- KEYS[5] prioritized zset ids of priority 1..9 -> band and position: where a job with a priority waits
-- ARGV[1] limit (1..1000)
-- ARGV[2..] optional ids; when given, only those of them that are abandoned move (each once, even if
--           listed twice: a job id must never be in ready twice, or two runners would get it)
-- Returns { moved, readyWasEmpty (1|0), more (1|0) }
-- Errors: "JR_BAD_ARGS ...".

local abandonedKey, readyKey, metaKey, dedupKey, prioKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local limit = tonumber(ARGV[1])

if not limit or limit < 1 or limit > 1000 or #ARGV - 1 > limit then
  return redis.error_reply('JR_BAD_ARGS retry-abandoned expects limit in 1..1000 and at most limit ids')
end

local candidates, first = ARGV, 2
if #ARGV == 1 then
  candidates, first = redis.call('ZRANGE', abandonedKey, 0, limit - 1), 1
end

-- #include ready-put.lua

local readyWasEmpty = redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0
local moved = 0
for i = first, #candidates do
  local id = candidates[i]
  if redis.call('ZREM', abandonedKey, id) == 1 then -- only what is (still) abandoned, and only once
    redis.call('HDEL', metaKey, id .. ':a')
    local m = redis.call('HMGET', metaKey, id .. ':d', id .. ':p')
    local dedup = m[1]
    if dedup and redis.call('HEXISTS', dedupKey, dedup) == 0 then redis.call('HSET', dedupKey, dedup, id) end
    readyPut(readyKey, prioKey, id, m[2], false)
    moved = moved + 1
  end
end
local more = (#ARGV == 1 and #candidates == limit) and 1 or 0
return { moved, (readyWasEmpty and moved > 0) and 1 or 0, more }
