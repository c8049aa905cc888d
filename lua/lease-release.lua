-- lease-release: give a lease up only if the caller holds it (compare-and-delete).
--
-- KEYS[1] lease   string   the holder's token
-- ARGV[1] token
-- Returns 1 when released, 0 when it was not the caller's

if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
