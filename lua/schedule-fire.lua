-- schedule-fire: handle one tick of a recurring schedule, at most once, atomically.
-- The schedule's "last handled tick" lives in the target queue's own `fired` hash, beside the queue, so the
-- check, the mark and the job's storage are one atomic step in one Redis Cluster slot: a tick is handled
-- exactly once however many chron leaders (an old one whose call was in flight when it lost the lease, and
-- its successor) try it. A tick at or before the mark is refused. A tick given without a job (skipped: missed
-- under the schedule's policy, or paused) only moves the mark.
-- The job goes to the push end of ready, de-duplicated on ARGV[5] (the schedule and tick) while it waits; as
-- with push, the wake-up is published from here when the queue went from no ready job to some.
--
-- KEYS[1] fired     hash   schedule name -> last handled tick (epoch ms)
-- KEYS[2] ready     list   job ids; LPUSH here
-- KEYS[3] data      hash   id -> job JSON
-- KEYS[4] meta      hash   "<id>:d" -> dedup key
-- KEYS[5] dedup     hash   dedup key -> id
-- ARGV[1] schedule name
-- ARGV[2] tick (epoch ms): the cron time this call handles
-- ARGV[3] job id ('' = skip the tick: move the mark only)
-- ARGV[4] job JSON (stored form)
-- ARGV[5] dedup key
-- ARGV[6] wake-up channel (e.g. jr:wake)
-- ARGV[7] wake-up message, published on ARGV[6] when the queue became ready (e.g. "domain/type")
-- Returns { handled (1: this call handled the tick | 0: the mark was already at or past it), pushed (1|0),
--           readyWasEmpty (1|0) }
-- Errors: "JR_BAD_ARGS ..." when the tick is not a positive number or ARGV has not 7 values.

local firedKey, readyKey, dataKey, metaKey, dedupKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local name = ARGV[1]
local tick = tonumber(ARGV[2])
local id, json, dedup = ARGV[3], ARGV[4], ARGV[5]
local wakeChannel, wakeMessage = ARGV[6], ARGV[7]

if #ARGV ~= 7 or not tick or tick <= 0 or name == '' then
  return redis.error_reply('JR_BAD_ARGS schedule-fire expects a schedule name, a tick (epoch ms), a job (or none), the wake-up channel and message')
end

local mark = tonumber(redis.call('HGET', firedKey, name) or '0')
if tick <= mark then
  return { 0, 0, 0 }
end
redis.call('HSET', firedKey, name, tick)
if id == '' then
  return { 1, 0, 0 }
end
if redis.call('HEXISTS', dataKey, id) == 1 or (dedup ~= '' and redis.call('HEXISTS', dedupKey, dedup) == 1) then
  return { 1, 0, 0 }
end

local readyWasEmpty = redis.call('LLEN', readyKey) == 0 and 1 or 0
redis.call('HSET', dataKey, id, json)
if dedup ~= '' then
  redis.call('HSET', dedupKey, dedup, id)
  redis.call('HSET', metaKey, id .. ':d', dedup)
end
redis.call('LPUSH', readyKey, id)
if readyWasEmpty == 1 then redis.call('PUBLISH', wakeChannel, wakeMessage) end
return { 1, 1, readyWasEmpty }
