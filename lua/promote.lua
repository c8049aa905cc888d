-- promote: (chron) delayed jobs whose release time has come (server time) move to the push end of ready,
-- earliest first. Its first write (ZREM) is one Redis does not refuse at maxmemory.
-- Bounded: at most ARGV[1] jobs per call; call again while `more` is 1.
--
-- KEYS[1] delayed   zset   id -> release time (epoch ms, server clock)
-- KEYS[2] ready     list   ids
-- KEYS[3] claimed   zset   id -> claim deadline (read only, for the next due time)
-- KEYS[4] meta      hash   "<id>:p" priority (read only)
-- KEYS[5] prioritized zset ids of priority 1..9 -> band and position: where a job with a priority waits
-- ARGV[1] limit (1..1000)
-- Returns { promoted, readyWasEmpty (1|0), more (1|0), next due (epoch ms, -1 = nothing due) }
-- Errors: "JR_BAD_ARGS ...".

local delayedKey, readyKey, claimedKey, metaKey, prioKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local limit = tonumber(ARGV[1])

if not limit or limit < 1 or limit > 1000 then
  return redis.error_reply('JR_BAD_ARGS promote expects limit in 1..1000')
end

-- #include ready-put.lua

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local due = redis.call('ZRANGEBYSCORE', delayedKey, '-inf', now, 'LIMIT', 0, limit)
local readyWasEmpty = redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0
for _, id in ipairs(due) do
  redis.call('ZREM', delayedKey, id)
  readyPut(readyKey, prioKey, id, redis.call('HGET', metaKey, id .. ':p'), false)
end

local nextDue = -1
local d = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
if d[2] then nextDue = tonumber(d[2]) end
local c = redis.call('ZRANGE', claimedKey, 0, 0, 'WITHSCORES')
if c[2] and (nextDue == -1 or tonumber(c[2]) < nextDue) then nextDue = tonumber(c[2]) end

return { #due, (readyWasEmpty and #due > 0) and 1 or 0, #due == limit and 1 or 0, nextDue }
