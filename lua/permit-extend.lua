-- permit-extend: move the expiry of permits this holder still has, with its claims' heartbeat.
-- Only permits still present are extended (ZADD XX): one that expired and was purged is reported lost, never
-- re-created, so a cap is never exceeded by a late heartbeat.
--
-- KEYS[1] permits   zset   member -> expiry (epoch ms, Redis time)
-- ARGV[1] ttl (ms): the permits now expire this long from now
-- ARGV[2..] members
-- Returns { lost member, ... }: those no longer held
-- Errors: "JR_BAD_ARGS ..." when the ttl is not a positive number.

local permitsKey = KEYS[1]
local ttl = tonumber(ARGV[1])

if not ttl or ttl < 1 then
  return redis.error_reply('JR_BAD_ARGS permit-extend expects a ttl >= 1 ms and members')
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local lost = {}
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', permitsKey, ARGV[i])
  if score and tonumber(score) > now then
    redis.call('ZADD', permitsKey, 'XX', now + ttl, ARGV[i])
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
