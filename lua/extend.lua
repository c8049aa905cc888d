-- extend: the heartbeat; move the deadline of claims the caller still holds, atomically.
-- Claims whose token no longer matches (recycled by the chron) are reported as lost, never extended.
--
-- KEYS[1] claimed   zset   id -> claim deadline (epoch ms)
-- KEYS[2] meta      hash   "<id>:t" claim token
-- ARGV[1] new deadline (epoch ms)
-- ARGV[2..] id1, token1, id2, token2, ... (at most 1000 pairs)
-- Returns { lost id1, lost id2, ... } (empty when every claim was extended)
-- Errors: "JR_BAD_ARGS ...".

local claimedKey, metaKey = KEYS[1], KEYS[2]
local deadline = tonumber(ARGV[1])

if not deadline or #ARGV < 3 or (#ARGV - 1) % 2 ~= 0 or #ARGV > 2001 then
  return redis.error_reply('JR_BAD_ARGS extend expects a deadline and 1..1000 id/token pairs')
end

local lost = {}
for i = 2, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', metaKey, id .. ':t') == token then
    redis.call('ZADD', claimedKey, 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
