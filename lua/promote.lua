-- promote: (chron) delayed jobs whose releaseAt has come move to the push end of ready, earliest first.
-- Bounded: at most ARGV[2] jobs per call; call again while `more` is 1.
--
-- KEYS[1] delayed   zset   id -> releaseAt (epoch ms)
-- KEYS[2] ready     list   ids
-- KEYS[3] claimed   zset   id -> claim deadline (read only, for the next due time)
-- ARGV[1] now (epoch ms)
-- ARGV[2] limit (1..1000)
-- Returns { promoted, readyWasEmpty (1|0), more (1|0), next due (epoch ms, -1 = nothing due) }
-- Errors: "JR_BAD_ARGS ...".

local delayedKey, readyKey, claimedKey = KEYS[1], KEYS[2], KEYS[3]
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])

if not now or not limit or limit < 1 or limit > 1000 then
  return redis.error_reply('JR_BAD_ARGS promote expects now and limit in 1..1000')
end

local due = redis.call('ZRANGEBYSCORE', delayedKey, '-inf', now, 'LIMIT', 0, limit)
local readyWasEmpty = redis.call('LLEN', readyKey) == 0
for _, id in ipairs(due) do
  redis.call('ZREM', delayedKey, id)
  redis.call('LPUSH', readyKey, id)
end

local nextDue = -1
local d = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
if d[2] then nextDue = tonumber(d[2]) end
local c = redis.call('ZRANGE', claimedKey, 0, 0, 'WITHSCORES')
if c[2] and (nextDue == -1 or tonumber(c[2]) < nextDue) then nextDue = tonumber(c[2]) end

return { #due, (readyWasEmpty and #due > 0) and 1 or 0, #due == limit and 1 or 0, nextDue }
