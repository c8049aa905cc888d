-- registry-remove: take a queue out of the ready registry only if its version stamp is the one the
-- caller read. A push that found the queue empty writes a fresh stamp, so this can never hide it.
--
-- KEYS[1] ready registry  hash   "domain/type" -> version stamp
-- ARGV[1] queue ("domain/type")
-- ARGV[2] the stamp the caller read
-- Returns 1 when removed, 0 when the stamp changed (or the queue was not there)

if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
