-- due-lower: the queue is due no later than ARGV[2] in the due index (ZADD LT, as a script so that it works
-- while Redis is out of memory: an entry moves by ZREM then ZADD, and Redis refuses a script at maxmemory only
-- for a first write that may grow memory, which ZREM does not). The due index is what brings a dead runner's
-- claims back; it must not stop taking entries when memory is short.
--
-- KEYS[1] due     zset   "domain/type" -> earliest claim deadline or release time (epoch ms, server clock)
-- ARGV[1] queue ("domain/type")
-- ARGV[2] due at (epoch ms, as a queue script returned it)
-- Returns 1 when the entry was added or lowered, 0 when it was already due no later
-- Errors: "JR_BAD_ARGS ...".

local dueKey, queue, at = KEYS[1], ARGV[1], tonumber(ARGV[2])
if not queue or queue == '' or not at then
  return redis.error_reply('JR_BAD_ARGS due-lower expects a queue and a time')
end

local current = tonumber(redis.call('ZSCORE', dueKey, queue))
if current and current <= at then
  return 0
end
redis.call('ZREM', dueKey, queue)
redis.call('ZADD', dueKey, at, queue)
return 1
