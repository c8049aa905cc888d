-- lease-acquire: take a lease (chron leadership, a per-repository lock) if it is free, for a time to live.
-- Idempotent for its holder: a call that finds the lease already holding the caller's token (the same command
-- re-sent after a reconnect) renews it and reports it taken, where a plain SET NX would say "not yours".
-- Works while Redis is out of memory: the write that takes it opens with a DEL of the (absent) key, and Redis
-- refuses a script at maxmemory only for a first write that may grow memory (DEL does not).
--
-- KEYS[1] lease   string   the holder's token
-- ARGV[1] token
-- ARGV[2] lease time (ms, >= 1)
-- Returns 1 when the caller holds the lease now, 0 when another does
-- Errors: "JR_BAD_ARGS ...".

local key, token, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2])
if not token or token == '' or not ttl or ttl < 1 then
  return redis.error_reply('JR_BAD_ARGS lease-acquire expects a token and a lease time >= 1 ms')
end

local holder = redis.call('GET', key)
if holder == token then
  redis.call('PEXPIRE', key, ttl)
  return 1
end
if holder then
  return 0
end
redis.call('DEL', key)
redis.call('SET', key, token, 'PX', ttl)
return 1
