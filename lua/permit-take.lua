-- permit-take: take one permit of a cluster-wide concurrency cap, if one is free, atomically.
-- A permit is a member of the cap's zset whose score is its expiry: the claim deadline of the job it covers.
-- The holder extends it with its claim (permit-extend) and removes it when the job ends (ZREM); a holder that
-- dies stops extending, so its permits expire with its claims and are purged here: a dead runner leaks none.
-- All keys of one cap share its own hash tag ({cap:type:<name>} or {cap:domain:<name>}): one Cluster slot.
--
-- KEYS[1] permits   zset   member -> expiry (epoch ms, Redis time)
-- ARGV[1] cap (>= 1): most permits held at once
-- ARGV[2] member: the new permit's name (unique per claim)
-- ARGV[3] ttl (ms): the permit expires this long from now unless extended (the claim TTL)
-- Returns { granted (1|0), ms until the earliest held permit expires (0 when granted) }
-- Errors: "JR_BAD_ARGS ..." when the cap or the ttl is not a positive number, or the member is empty.

local permitsKey = KEYS[1]
local cap, member, ttl = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])

if not cap or cap < 1 or not ttl or ttl < 1 or not member or member == '' then
  return redis.error_reply('JR_BAD_ARGS permit-take expects a cap >= 1, a member and a ttl >= 1 ms')
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZREMRANGEBYSCORE', permitsKey, '-inf', now)
if redis.call('ZSCORE', permitsKey, member) or redis.call('ZCARD', permitsKey) < cap then
  redis.call('ZADD', permitsKey, now + ttl, member)
  return { 1, 0 }
end
local earliest = redis.call('ZRANGE', permitsKey, 0, 0, 'WITHSCORES')
return { 0, math.max(1, tonumber(earliest[2]) - now) }
