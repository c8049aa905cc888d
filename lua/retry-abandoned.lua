-- retry-abandoned: (operator) move abandoned jobs back to the push end of ready with their attempts
-- reset; all of them oldest first (bounded by ARGV[1] per call), or only the ids given.
--
-- KEYS[1] abandoned zset   id -> abandoned at (epoch ms)
-- KEYS[2] ready     list   ids
-- KEYS[3] meta      hash   "<id>:a" attempts
-- ARGV[1] limit (1..1000)
-- ARGV[2..] optional ids; when given, only those of them that are abandoned move
-- Returns { moved, readyWasEmpty (1|0), more (1|0) }
-- Errors: "JR_BAD_ARGS ...".

local abandonedKey, readyKey, metaKey = KEYS[1], KEYS[2], KEYS[3]
local limit = tonumber(ARGV[1])

if not limit or limit < 1 or limit > 1000 or #ARGV - 1 > limit then
  return redis.error_reply('JR_BAD_ARGS retry-abandoned expects limit in 1..1000 and at most limit ids')
end

local ids
if #ARGV > 1 then
  ids = {}
  for i = 2, #ARGV do
    if redis.call('ZSCORE', abandonedKey, ARGV[i]) then ids[#ids + 1] = ARGV[i] end
  end
else
  ids = redis.call('ZRANGE', abandonedKey, 0, limit - 1)
end

local readyWasEmpty = redis.call('LLEN', readyKey) == 0
for _, id in ipairs(ids) do
  redis.call('ZREM', abandonedKey, id)
  redis.call('HDEL', metaKey, id .. ':a')
  redis.call('LPUSH', readyKey, id)
end
local more = (#ARGV == 1 and #ids == limit) and 1 or 0
return { #ids, (readyWasEmpty and #ids > 0) and 1 or 0, more }
