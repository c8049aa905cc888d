-- due-read: (chron) the queues due by the server's time, earliest first, read only. The server's time is
-- returned too, so the caller can time what it does next by the same clock.
--
-- KEYS[1] due     zset   "domain/type" -> earliest claim deadline or release time (epoch ms, server clock)
-- ARGV[1] limit (1..10000)
-- Returns { now (epoch ms, server clock), queue1, queue2, ... }
-- Errors: "JR_BAD_ARGS ...".

local dueKey, limit = KEYS[1], tonumber(ARGV[1])
if not limit or limit < 1 or limit > 10000 then
  return redis.error_reply('JR_BAD_ARGS due-read expects limit in 1..10000')
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local out = { now }
for _, queue in ipairs(redis.call('ZRANGEBYSCORE', dueKey, '-inf', now, 'LIMIT', 0, limit)) do
  out[#out + 1] = queue
end
return out
