-- extend: the heartbeat; move the deadline of claims the caller still holds to the server's time plus the
-- claim TTL, atomically. Claims whose token no longer matches (recycled by the chron) are reported as lost,
-- never extended.
-- Works while Redis is out of memory: each claim is moved by ZREM then ZADD, and Redis refuses a script at
-- maxmemory only for a first write that may grow memory (ZREM does not); so no healthy claim expires then.
--
-- KEYS[1] claimed   zset   id -> claim deadline (epoch ms, server clock)
-- KEYS[2] meta      hash   "<id>:t" claim token
-- ARGV[1] claim TTL (ms, >= 1)
-- ARGV[2..] id1, token1, id2, token2, ... (at most 1000 pairs)
-- Returns { lost id1, lost id2, ... } (empty when every claim was extended)
-- Errors: "JR_BAD_ARGS ...".

local claimedKey, metaKey = KEYS[1], KEYS[2]
local ttl = tonumber(ARGV[1])

if not ttl or ttl < 1 or #ARGV < 3 or (#ARGV - 1) % 2 ~= 0 or #ARGV > 2001 then
  return redis.error_reply('JR_BAD_ARGS extend expects a TTL and 1..1000 id/token pairs')
end

redis.replicate_commands()
local time = redis.call('TIME')
local deadline = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + ttl

local lost = {}
for i = 2, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', metaKey, id .. ':t') == token and redis.call('ZREM', claimedKey, id) == 1 then
    redis.call('ZADD', claimedKey, deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
