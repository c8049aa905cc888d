-- prune: (chron, or an operator's purge) delete abandoned jobs abandoned at least a retention ago, and root-job
-- entries last written at least a retention ago; both by the server's time, never a producer's timestamp.
-- Bounded: at most ARGV[3] of each per call; call again while `more` is 1. Works on queues that hold nothing
-- but abandoned jobs. Its writes are deletions, which Redis does not refuse at maxmemory.
--
-- KEYS[1] abandoned     zset   id -> abandoned at (epoch ms, server clock)
-- KEYS[2] data          hash   id -> job JSON
-- KEYS[3] meta          hash   "<id>:*" fields
-- KEYS[4] roots         zset   root signature -> newest root timestamp
-- KEYS[5] roots-written zset   root signature -> when its entry was last written (epoch ms, server clock)
-- KEYS[6] dedup         hash   dedup key -> id (an entry naming a pruned job is dropped with it)
-- KEYS[7] unique        zset   dedup key -> held until (epoch ms): entries that ran out are deleted (optional)
-- ARGV[1] abandoned retention (ms, >= 0), or -1: every abandoned job, whatever its time (purge)
-- ARGV[2] root retention (ms, >= 0), or -1: no root entry
-- ARGV[3] limit (1..1000)
-- Returns { pruned jobs, pruned roots, more (1|0) }; the unique entries that ran out are not counted
-- Errors: "JR_BAD_ARGS ...".

-- #include job-fields.lua
local abandonedKey, dataKey, metaKey, rootsKey, rootsWrittenKey, dedupKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local uniqueKey = KEYS[7]
local jobRetention, rootRetention, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

if not jobRetention or jobRetention < -1 or not rootRetention or rootRetention < -1 or not limit or limit < 1 or limit > 1000 then
  return redis.error_reply('JR_BAD_ARGS prune expects two retentions (ms, or -1) and limit in 1..1000')
end

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local old = {}
if jobRetention >= 0 then
  old = redis.call('ZRANGEBYSCORE', abandonedKey, '-inf', now - jobRetention, 'LIMIT', 0, limit)
else
  old = redis.call('ZRANGE', abandonedKey, 0, limit - 1)
end
for _, id in ipairs(old) do
  local dedup = redis.call('HGET', metaKey, id .. ':d')
  redis.call('ZREM', abandonedKey, id)
  redis.call('HDEL', dataKey, id)
  deleteJobFields(metaKey, id)
  if dedup and redis.call('HGET', dedupKey, dedup) == id then redis.call('HDEL', dedupKey, dedup) end
end

local roots = {}
if rootRetention >= 0 then
  roots = redis.call('ZRANGEBYSCORE', rootsWrittenKey, '-inf', now - rootRetention, 'LIMIT', 0, limit)
  if #roots > 0 then
    redis.call('ZREM', rootsKey, unpack(roots))
    redis.call('ZREM', rootsWrittenKey, unpack(roots))
  end
end

local ranOut = {}
if uniqueKey then
  ranOut = redis.call('ZRANGEBYSCORE', uniqueKey, '-inf', now, 'LIMIT', 0, limit)
  if #ranOut > 0 then redis.call('ZREM', uniqueKey, unpack(ranOut)) end
end

return { #old, #roots, (#old == limit or #roots == limit or #ranOut == limit) and 1 or 0 }
