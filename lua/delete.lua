-- delete: (operator) delete waiting (ready or delayed) and abandoned jobs for good: each is removed from
-- its state index, its data, its meta fields and its dedup entry, so nothing refers to it afterwards.
-- A claimed job is refused (a runner holds it: cancel it first), so a delete never races a run's ack.
--
-- KEYS[1] ready     list   ids
-- KEYS[2] delayed   zset   id -> releaseAt (epoch ms)
-- KEYS[3] claimed   zset   id -> claim deadline (epoch ms)
-- KEYS[4] abandoned zset   id -> abandoned at (epoch ms)
-- KEYS[5] data      hash   id -> job JSON
-- KEYS[6] meta      hash   "<id>:a|t|e|d|r|rt|m|s|x|u|p"
-- KEYS[7] dedup     hash   dedup key -> id of the waiting job
-- KEYS[8] expired   zset   id -> expired at (epoch ms); an expired job is deleted like an abandoned one
-- KEYS[9] prioritized zset ids of priority 1..9 -> band and position: where a job with a priority waits
-- ARGV[1] which jobs may go: "waiting-or-abandoned" | "abandoned" (a bulk purge: a job retried meanwhile stays)
-- ARGV[2..n] ids (1..1000)
-- Returns one code per id, in order: "ready" | "delayed" | "abandoned" (deleted from that state),
--   "claimed" (refused, nothing changed), "kept" (not abandoned, with ARGV[1] "abandoned"), "missing" (no such job).
-- Errors: "JR_BAD_ARGS ...".

-- #include job-fields.lua
local readyKey, delayedKey, claimedKey, abandonedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local dataKey, metaKey, dedupKey, expiredKey, prioKey = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]

local mode = ARGV[1]
if (mode ~= 'waiting-or-abandoned' and mode ~= 'abandoned') or #ARGV < 2 or #ARGV > 1001 then
  return redis.error_reply('JR_BAD_ARGS delete expects waiting-or-abandoned|abandoned and 1..1000 ids')
end

local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  local state = 'missing'
  if redis.call('ZSCORE', claimedKey, id) then
    state = 'claimed'
  elseif redis.call('ZREM', abandonedKey, id) == 1 or redis.call('ZREM', expiredKey, id) == 1 then
    state = 'abandoned'
  elseif mode == 'abandoned' then
    state = redis.call('HEXISTS', dataKey, id) == 1 and 'kept' or 'missing'
  elseif redis.call('ZREM', delayedKey, id) == 1 then
    state = 'delayed'
  elseif redis.call('ZREM', prioKey, id) == 1 or redis.call('LREM', readyKey, 0, id) > 0 then
    state = 'ready'
  end
  if state == 'ready' or state == 'delayed' or state == 'abandoned' then
    local dedup = redis.call('HGET', metaKey, id .. ':d')
    if dedup and redis.call('HGET', dedupKey, dedup) == id then redis.call('HDEL', dedupKey, dedup) end
    redis.call('HDEL', dataKey, id)
    deleteJobFields(metaKey, id)
  end
  out[i - 1] = state
end
return out
