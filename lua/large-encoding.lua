-- large-encoding: keeps a queue's hot hash or sorted set in Redis's hash-table or skip-list encoding. Not a script
-- of its own: claim.lua includes it where it says "-- #include large-encoding.lua".
-- Redis keeps a small hash or sorted set as a listpack (by default up to 512 hash fields, 128 zset members), where
-- every lookup, insert and delete scans the whole key. A queue's `meta` (four fields per claimed job) and `claimed`
-- held by a runner of 2 to 32 slots sit in that range, and there claims and acks cost Redis up to five times what
-- they cost in the large encodings (which cost no more even for one job). Adding a member longer than the listpack
-- value limit (64 bytes) converts the key, and Redis does not convert it back while the key exists, so the probe is
-- removed at once. The probe holds spaces, so it is never a job id (A-Z a-z 0-9 _ -) nor a meta field (<id>:<f>).
local LARGE_ENCODING_PROBE = string.rep('large encoding probe ', 4)

-- Converts key (a hash or a zset) to its large encoding if it is a listpack (ziplist before Redis 7).
local function keepLargeEncoding(key, kind)
  local encoding = redis.call('OBJECT', 'ENCODING', key)
  if encoding ~= 'listpack' and encoding ~= 'ziplist' then return end
  if kind == 'zset' then
    redis.call('ZADD', key, 0, LARGE_ENCODING_PROBE)
    redis.call('ZREM', key, LARGE_ENCODING_PROBE)
  else
    redis.call('HSET', key, LARGE_ENCODING_PROBE, 1)
    redis.call('HDEL', key, LARGE_ENCODING_PROBE)
  end
end
