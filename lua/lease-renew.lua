-- lease-renew: extend a lease (chron leadership, a per-repository lock) only while the caller holds it.
--
-- KEYS[1] lease   string   the holder's token
-- ARGV[1] token
-- ARGV[2] lease time (ms)
-- Returns 1 when renewed, 0 when the lease is lost (expired or held by another)

if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
