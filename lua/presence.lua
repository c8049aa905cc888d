-- presence: a live process (runner or chron) records itself for ARGV[2] ms of server time and reads
-- the operator's controls in the same round trip: the paused queues, and the cancel requests among the
-- jobs it runs. All keys share the hash tag of the control keys: valid on Redis Cluster.
--
-- KEYS[1] records   hash   process id -> "<expires at (epoch ms)> <record JSON>"
-- KEYS[2] paused    hash   "domain/type" or "*/type" -> paused at (epoch ms)
-- KEYS[3] cancels   hash   "domain/type id" -> requested at (epoch ms)
-- ARGV[1] process id
-- ARGV[2] time to live (ms, >= 1)
-- ARGV[3] record JSON ('' = remove the record: the process is stopping)
-- ARGV[4..] "domain/type id" of the jobs the process runs, to look up in KEYS[3]
-- Returns { server time (epoch ms), { paused names }, { requested "domain/type id" } }
-- Errors: "JR_BAD_ARGS ...".

local recordsKey, pausedKey, cancelsKey = KEYS[1], KEYS[2], KEYS[3]
local id, ttl, record = ARGV[1], tonumber(ARGV[2]), ARGV[3]

if not ttl or ttl < 1 or id == '' then
  return redis.error_reply('JR_BAD_ARGS presence expects id, ttl >= 1 ms, record')
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if record == '' then
  redis.call('HDEL', recordsKey, id)
else
  redis.call('HSET', recordsKey, id, (now + ttl) .. ' ' .. record)
end

local requested = {}
for i = 4, #ARGV do
  if redis.call('HEXISTS', cancelsKey, ARGV[i]) == 1 then requested[#requested + 1] = ARGV[i] end
end
return { now, redis.call('HKEYS', pausedKey), requested }
