-- presence-list: the records of live processes, judged by server time; records expired for longer than
-- ARGV[1] ms (a process that died without removing itself) are deleted on the way.
--
-- KEYS[1] records   hash   process id -> "<expires at (epoch ms)> <record JSON>"
-- ARGV[1] forget after (ms, >= 0)
-- Returns { server time (epoch ms), id1, expires at 1, JSON1, id2, ... } for the records not expired.
-- Errors: "JR_BAD_ARGS ...".

local recordsKey = KEYS[1]
local forget = tonumber(ARGV[1])

if not forget or forget < 0 then
  return redis.error_reply('JR_BAD_ARGS presence-list expects forget-after >= 0 ms')
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = { now }
local all = redis.call('HGETALL', recordsKey)
for i = 1, #all, 2 do
  local value = all[i + 1]
  local space = string.find(value, ' ', 1, true)
  local expires = space and tonumber(string.sub(value, 1, space - 1)) or 0
  if expires > now then
    out[#out + 1] = all[i]
    out[#out + 1] = expires
    out[#out + 1] = string.sub(value, space + 1)
  elseif expires + forget < now then
    redis.call('HDEL', recordsKey, all[i])
  end
end
return out
