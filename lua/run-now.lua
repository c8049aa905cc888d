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
-- Puts a job into ready by its priority: 0 (none) the list as ever; 1..9 the prioritized zset, scored in one band
-- per priority (higher first) and FIFO within a band, at the push end or, with `front`, the claim end.
local BAND = 1e15
local function toReady(id, priority, front)
  local p = tonumber(priority)
  if not p or p < 1 or p > 9 then
    if front then redis.call('RPUSH', readyKey, id) else redis.call('LPUSH', readyKey, id) end
    return
  end
  local low, high = (9 - p) * BAND, (10 - p) * BAND - 1
  local edge
  if front then
    edge = redis.call('ZRANGEBYSCORE', prioKey, low, high, 'WITHSCORES', 'LIMIT', 0, 1)
  else
    edge = redis.call('ZREVRANGEBYSCORE', prioKey, high, low, 'WITHSCORES', 'LIMIT', 0, 1)
  end
  local score = low + BAND / 2
  if edge[2] then score = tonumber(edge[2]) + (front and -1 or 1) end
  redis.call('ZADD', prioKey, score, id)
end

local readyWasEmpty = (redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0) and 1 or 0
toReady(id, redis.call('HGET', metaKey, id .. ':p'), true)
return { 1, readyWasEmpty }
