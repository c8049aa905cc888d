-- rate-take: take up to N tokens of a cluster-wide rate limit shared by several queues, atomically.
-- The bucket is a token bucket (rate-bucket.lua): over any window W at most burst + W / interval tokens are
-- granted, however many runners ask.
-- The bucket of a type or a domain has its own hash tag ({rate:type:<name>} or {rate:domain:<name>}), so it is
-- taken in its own call before the claim (a bucket of one queue rides inside claim.lua instead). Tokens the
-- claim did not use are given back with rate-return.lua. The key expires when the bucket is full again.
--
-- KEYS[1] bucket    string TAT (epoch µs, Redis time)
-- ARGV[1] interval (µs, > 0, may be fractional): the limit's period divided by its limit
-- ARGV[2] burst (>= 1): tokens that may be taken at once from a full bucket
-- ARGV[3] N (1..1000): tokens wanted
-- Returns { granted (0..N), ms until the next token after this take (0 when one is left now) }
-- Errors: "JR_BAD_ARGS ..." when a value is not what is described above.

-- #include rate-bucket.lua
local bucketKey = KEYS[1]
local interval, burst, wanted = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

if not interval or interval <= 0 or not burst or burst < 1 or not wanted or wanted < 1 or wanted > 1000 then
  return redis.error_reply('JR_BAD_ARGS rate-take expects an interval > 0 µs, a burst >= 1 and N in 1..1000')
end

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local granted, tat, tolerance = rateFree(bucketKey, interval, burst, now, wanted)
if granted > 0 then
  tat = rateTake(bucketKey, tat, interval, granted, now)
end
local wait = tat - tolerance - now
return { granted, wait > 0 and math.ceil(wait / 1000) or 0 }
