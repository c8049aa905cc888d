-- mw-maintain: (chron, MediaWiki mode) one visit of one MediaWiki JobQueueRedis queue. Expired claims go
-- back to ready at the pop end (RPUSH: they run next), or to abandoned when they used their attempts;
-- abandoned jobs past the retention are deleted; due delayed jobs go to the back of ready (LPUSH); then the
-- queue's membership in s-queuesWithJobs (any ready, claimed or delayed job) and in jobrunner's abandoned set
-- is made true. Merged into one call on purpose: the chron visits every listed queue each pass (~13-15 us of
-- Redis time per call, measured), and membership must be decided after the transitions. Attempts were
-- counted by MediaWiki's pop and are never counted here; the dedup index is not restored on recycle.
-- MediaWiki's key layout: the keys share no hash tag (MediaWiki mode is not Cluster-safe).
--
-- KEYS[1] z-claimed    zset  id -> claim time (unix s, app server clock)
-- KEYS[2] h-attempts   hash  id -> claims so far
-- KEYS[3] l-unclaimed  list  ready ids; MediaWiki pops with RPOP
-- KEYS[4] h-data       hash  id -> job blob (only existence is read)
-- KEYS[5] z-abandoned  zset  id -> claim time of the last claim
-- KEYS[6] z-delayed    zset  id -> release time (unix s)
-- KEYS[7] global:jobqueue:s-queuesWithJobs    set  queue ids (JSON [type, domain])
-- KEYS[8] <key-prefix>:s-queuesWithAbandoned  set  queue key prefixes
-- ARGV[1] claim cutoff (unix s): claims scored at or before it expired (now - claim-ttl of the type)
-- ARGV[2] prune cutoff (unix s): abandoned jobs scored at or before it are deleted
-- ARGV[3] attempts of the type (>= 1)
-- ARGV[4] now (unix s)
-- ARGV[5] queue id: the member of KEYS[7], byte for byte
-- ARGV[6] limit per transition (1..1000)
-- ARGV[7] the queue's key prefix "<W>:jobqueue:<T>:", the member of KEYS[8]
-- Returns { recycled, abandoned, pruned, undelayed, ready, claimed, delayed, abandonedLeft, orphans, more }
--   more = 1 when any transition took `limit` ids (call again)
-- Errors: "JR_BAD_ARGS ..."
local kClaimed, kAttempts, kUnclaimed, kData, kAbandoned, kDelayed, kQueues, kWithAbandoned =
    KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local claimCutoff = tonumber(ARGV[1])
local pruneCutoff = tonumber(ARGV[2])
local attempts = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local queueId = ARGV[5]
local limit = tonumber(ARGV[6])
local keyPrefix = ARGV[7]

if not claimCutoff or not pruneCutoff or not now then
  return redis.error_reply('JR_BAD_ARGS cutoffs and now must be numbers')
end
if not attempts or attempts < 1 then
  return redis.error_reply('JR_BAD_ARGS attempts must be >= 1')
end
if not limit or limit < 1 or limit > 1000 then
  return redis.error_reply('JR_BAD_ARGS limit must be 1..1000')
end
if not queueId or queueId == '' or not keyPrefix or keyPrefix == '' then
  return redis.error_reply('JR_BAD_ARGS queue id and key prefix must not be empty')
end

-- No job data at all: nothing in this queue can run (the PHP chron's rule).
if redis.call('EXISTS', kData) == 0 then
  redis.call('SREM', kQueues, queueId)
  redis.call('SREM', kWithAbandoned, keyPrefix)
  return { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }
end

local recycled, abandoned, pruned, undelayed, orphans, more = 0, 0, 0, 0, 0, 0

local expired = redis.call('ZRANGEBYSCORE', kClaimed, '-inf', claimCutoff, 'WITHSCORES', 'LIMIT', 0, limit)
for i = 1, #expired, 2 do
  local id, claimedAt = expired[i], expired[i + 1]
  redis.call('ZREM', kClaimed, id)
  if redis.call('HEXISTS', kData, id) == 0 then
    -- MediaWiki's pop would hand out nothing for it and end its batch: drop the claim.
    redis.call('HDEL', kAttempts, id)
    orphans = orphans + 1
  elseif (tonumber(redis.call('HGET', kAttempts, id)) or 0) < attempts then
    redis.call('RPUSH', kUnclaimed, id)
    recycled = recycled + 1
  else
    redis.call('ZADD', kAbandoned, claimedAt, id)
    abandoned = abandoned + 1
  end
end
if #expired / 2 >= limit then more = 1 end

local old = redis.call('ZRANGEBYSCORE', kAbandoned, '-inf', pruneCutoff, 'LIMIT', 0, limit)
for _, id in ipairs(old) do
  redis.call('ZREM', kAbandoned, id)
  redis.call('HDEL', kAttempts, id)
  redis.call('HDEL', kData, id)
  pruned = pruned + 1
end
if #old >= limit then more = 1 end

local due = redis.call('ZRANGEBYSCORE', kDelayed, '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(due) do
  redis.call('ZREM', kDelayed, id)
  redis.call('LPUSH', kUnclaimed, id)
  undelayed = undelayed + 1
end
if #due >= limit then more = 1 end

local ready = redis.call('LLEN', kUnclaimed)
local claimed = redis.call('ZCARD', kClaimed)
local delayed = redis.call('ZCARD', kDelayed)
local abandonedLeft = redis.call('ZCARD', kAbandoned)
if ready + claimed + delayed > 0 then
  redis.call('SADD', kQueues, queueId)
else
  redis.call('SREM', kQueues, queueId)
end
if abandonedLeft > 0 then
  redis.call('SADD', kWithAbandoned, keyPrefix)
else
  redis.call('SREM', kWithAbandoned, keyPrefix)
end
return { recycled, abandoned, pruned, undelayed, ready, claimed, delayed, abandonedLeft, orphans, more }
