-- ready-mark: write a fresh version stamp for a queue in the ready registry (the queue has ready jobs).
-- A script, not HSET, so that it works while Redis is out of memory: the entry moves by HDEL then HSET, and
-- Redis refuses a script at maxmemory only for a first write that may grow memory, which HDEL does not. Runners
-- must keep finding queues that recycle and promote made ready, whatever the memory.
--
-- KEYS[1] ready registry  hash   "domain/type" -> version stamp
-- ARGV[1] queue ("domain/type")
-- ARGV[2] the fresh stamp
-- Returns 1
-- Errors: "JR_BAD_ARGS ...".

local readyKey, queue, stamp = KEYS[1], ARGV[1], ARGV[2]
if not queue or queue == '' or not stamp or stamp == '' then
  return redis.error_reply('JR_BAD_ARGS ready-mark expects a queue and a stamp')
end

redis.call('HDEL', readyKey, queue)
redis.call('HSET', readyKey, queue, stamp)
return 1
