-- ready-put: where a job waits when it is ready, by its priority, in one place. Not a script of its own: the
-- scripts that make a job ready (push, release, recycle, promote, retry-abandoned, run-now) include it where they
-- say "-- #include ready-put.lua".
-- Priority 0 (none) is the list as ever: LPUSH at the push end, RPUSH at the claim end. 1..9 is the prioritized
-- zset, one band of 1e15 per priority ((9 - priority) * 1e15, so ZPOPMIN gives the highest first) and FIFO within
-- a band: a new job one past the band's last, a job back at the claim end one before its first (the band starts
-- in its middle, so either way holds 5e14 moves; every score stays below 2^53, exact in a double).
local READY_BAND = 1e15

-- Puts id into ready by its priority (a number, a numeric string or nil for 0), at the claim end with `front`.
local function readyPut(readyKey, prioKey, id, priority, front)
  local p = tonumber(priority)
  if not p or p < 1 or p > 9 then
    if front then redis.call('RPUSH', readyKey, id) else redis.call('LPUSH', readyKey, id) end
    return
  end
  local low, high = (9 - p) * READY_BAND, (10 - p) * READY_BAND - 1
  local edge
  if front then
    edge = redis.call('ZRANGEBYSCORE', prioKey, low, high, 'WITHSCORES', 'LIMIT', 0, 1)
  else
    edge = redis.call('ZREVRANGEBYSCORE', prioKey, high, low, 'WITHSCORES', 'LIMIT', 0, 1)
  end
  local score = low + READY_BAND / 2
  if edge[2] then score = tonumber(edge[2]) + (front and -1 or 1) end
  redis.call('ZADD', prioKey, score, id)
end
