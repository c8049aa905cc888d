-- push: add a batch of jobs to one queue, atomically.
-- A job with a releaseAt in the future waits in `delayed`; the rest go to the push end of `ready`.
-- A job whose dedupKey already names a waiting (ready or delayed) job of this queue is dropped as a
-- duplicate; so is a job whose id is already stored (a producer retrying a push after a timeout).
-- A root job records its root timestamp, so older jobs of the same root are superseded at claim time.
-- When the push takes the queue from no ready job to some, the wake-up is published from here, so idle
-- runners hear of it one round trip sooner than from the caller's registry follow-up (PUBLISH takes no key:
-- still valid on Redis Cluster, where it reaches every node's subscribers).
--
-- KEYS[1] ready     list   job ids; LPUSH here, claim pops from the other end
-- KEYS[2] delayed   zset   id -> releaseAt (epoch ms)
-- KEYS[3] data      hash   id -> job JSON
-- KEYS[4] meta      hash   "<id>:d" -> dedup key, "<id>:r" -> root signature, "<id>:rt" -> root timestamp,
--                          "<id>:x" -> expireAt (epoch ms; read by claim, which drops the job once it passed)
-- KEYS[5] dedup     hash   dedup key -> id
-- KEYS[6] roots     zset   root signature -> newest root timestamp (epoch ms)
-- ARGV[1] now (epoch ms)
-- ARGV[2] N, the number of jobs that follow (the caller chunks; at most 1000)
-- ARGV[3] wake-up channel (e.g. jr:wake)
-- ARGV[4] wake-up message, published on ARGV[3] when the queue became ready (e.g. "domain/type")
-- then 7 values per job: id, job JSON, releaseAt (epoch ms; 0 = ready now), dedup key ('' = none),
--   root signature ('' = none), root timestamp (epoch ms; 0 = none), expireAt (epoch ms; 0 = never)
-- Returns { {pushed ids}, {duplicate ids}, readyWasEmpty (1|0), earliest releaseAt pushed (epoch ms, 0 = none) }
-- Errors: "JR_BAD_ARGS ..." when ARGV does not match N.

local readyKey, delayedKey, dataKey, metaKey, dedupKey, rootsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local wakeChannel, wakeMessage = ARGV[3], ARGV[4]

if not now or not n or n < 0 or n > 1000 or #ARGV ~= 4 + n * 7 then
  return redis.error_reply('JR_BAD_ARGS push expects now, N <= 1000, the wake-up channel and message, and 7 values per job')
end

local readyWasEmpty = redis.call('LLEN', readyKey) == 0 and 1 or 0
local pushed, duplicates = {}, {}
local earliestRelease = 0

for i = 0, n - 1 do
  local base = 5 + i * 7
  local id, json = ARGV[base], ARGV[base + 1]
  local releaseAt = tonumber(ARGV[base + 2])
  local dedup, rootSig, rootTs = ARGV[base + 3], ARGV[base + 4], tonumber(ARGV[base + 5])
  local expireAt = ARGV[base + 6]

  if redis.call('HEXISTS', dataKey, id) == 1
      or (dedup ~= '' and redis.call('HEXISTS', dedupKey, dedup) == 1) then
    duplicates[#duplicates + 1] = id
  else
    redis.call('HSET', dataKey, id, json)
    if dedup ~= '' then
      redis.call('HSET', dedupKey, dedup, id)
      redis.call('HSET', metaKey, id .. ':d', dedup)
    end
    if expireAt ~= '0' then
      redis.call('HSET', metaKey, id .. ':x', expireAt)
    end
    if rootSig ~= '' then
      redis.call('HSET', metaKey, id .. ':r', rootSig, id .. ':rt', rootTs)
      redis.call('ZADD', rootsKey, 'GT', rootTs, rootSig)
    end
    if releaseAt > now then
      redis.call('ZADD', delayedKey, releaseAt, id)
      if earliestRelease == 0 or releaseAt < earliestRelease then earliestRelease = releaseAt end
    else
      redis.call('LPUSH', readyKey, id)
    end
    pushed[#pushed + 1] = id
  end
end

if readyWasEmpty == 1 and redis.call('LLEN', readyKey) == 0 then readyWasEmpty = 0 end
if readyWasEmpty == 1 then redis.call('PUBLISH', wakeChannel, wakeMessage) end
return { pushed, duplicates, readyWasEmpty, earliestRelease }
