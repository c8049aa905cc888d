-- history-count: add run outcomes of one job type to its per-minute history, a ring of one bucket per
-- minute over the last ARGV[3] minutes (so the hash stays bounded), plus all-time totals. The minute is
-- the Redis server's (TIME), never a host's clock. Called by runners a few times a minute per type, not
-- per job, so the key's load does not grow with throughput.
--
-- KEYS[1] history   hash   "m:<slot>" minute (epoch minutes) the slot holds, "p:<slot>" processed,
--                          "f:<slot>" failed (slot = minute mod ARGV[3]); "total:p", "total:f"
-- ARGV[1] processed (runs that ended: succeeded or failed)
-- ARGV[2] failed (runs that ended without success)
-- ARGV[3] minutes kept (1..10080)
-- Returns the epoch minute counted into.
-- Errors: "JR_BAD_ARGS ...".

local historyKey = KEYS[1]
local processed, failed, kept = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

if not processed or not failed or processed < 0 or failed < 0 or not kept or kept < 1 or kept > 10080 then
  return redis.error_reply('JR_BAD_ARGS history-count expects processed >= 0, failed >= 0, minutes kept in 1..10080')
end

local minute = math.floor(tonumber(redis.call('TIME')[1]) / 60)
local slot = minute % kept
if tonumber(redis.call('HGET', historyKey, 'm:' .. slot) or '-1') ~= minute then
  redis.call('HSET', historyKey, 'm:' .. slot, minute, 'p:' .. slot, 0, 'f:' .. slot, 0)
end
redis.call('HINCRBY', historyKey, 'p:' .. slot, processed)
redis.call('HINCRBY', historyKey, 'f:' .. slot, failed)
redis.call('HINCRBY', historyKey, 'total:p', processed)
redis.call('HINCRBY', historyKey, 'total:f', failed)
return minute
