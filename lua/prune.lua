-- prune: (chron, or an operator's purge) delete abandoned jobs abandoned at or before a cutoff, and
-- root-job entries older than a cutoff. Bounded: at most ARGV[3] of each per call; call again while
-- `more` is 1. Works on queues that hold nothing but abandoned jobs.
--
-- KEYS[1] abandoned zset   id -> abandoned at (epoch ms)
-- KEYS[2] data      hash   id -> job JSON
-- KEYS[3] meta      hash   "<id>:*" fields
-- KEYS[4] roots     zset   root signature -> newest root timestamp (epoch ms)
-- ARGV[1] abandoned cutoff (epoch ms): jobs abandoned at or before it are deleted
-- ARGV[2] roots cutoff (epoch ms): root entries at or before it are deleted
-- ARGV[3] limit (1..1000)
-- Returns { pruned jobs, pruned roots, more (1|0) }
-- Errors: "JR_BAD_ARGS ...".

local abandonedKey, dataKey, metaKey, rootsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local jobCutoff, rootCutoff, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

if not jobCutoff or not rootCutoff or not limit or limit < 1 or limit > 1000 then
  return redis.error_reply('JR_BAD_ARGS prune expects two cutoffs and limit in 1..1000')
end

local old = redis.call('ZRANGEBYSCORE', abandonedKey, '-inf', jobCutoff, 'LIMIT', 0, limit)
for _, id in ipairs(old) do
  redis.call('ZREM', abandonedKey, id)
  redis.call('HDEL', dataKey, id)
  redis.call('HDEL', metaKey, id .. ':a', id .. ':t', id .. ':e', id .. ':d', id .. ':r', id .. ':rt')
end

local roots = redis.call('ZRANGEBYSCORE', rootsKey, '-inf', rootCutoff, 'LIMIT', 0, limit)
if #roots > 0 then redis.call('ZREM', rootsKey, unpack(roots)) end

return { #old, #roots, (#old == limit or #roots == limit) and 1 or 0 }
