-- claim: take up to N ready jobs of one queue for one runner slot, atomically.
-- Each claimed job moves to `claimed` with a deadline, gets its attempt counted and a fresh claim token
-- (only the holder of the token may ack, release or extend it). Its dedup entry is dropped, so an
-- identical job may be pushed while this one runs. A root job superseded by a newer root is deleted
-- without being returned. A job past its expiry (its expireAt, or its enqueue time plus the type's
-- expire-after) is not run: it moves to `expired` (kept for the operator, the oldest dropped past a bound)
-- and is counted. Pops at most N ids, so the script is bounded whatever it finds.
--
-- KEYS[1] ready     list   ids; pop from the claim end (RPOP)
-- KEYS[2] claimed   zset   id -> claim deadline (epoch ms)
-- KEYS[3] data      hash   id -> job JSON
-- KEYS[4] meta      hash   "<id>:a" attempts, "<id>:t" claim token, "<id>:d" dedup key, "<id>:r"/"<id>:rt" root,
--                          "<id>:x" expireAt, "<id>:e" last error (the expiry reason, for an expired job)
-- KEYS[5] dedup     hash   dedup key -> id
-- KEYS[6] roots     zset   root signature -> newest root timestamp
-- KEYS[7] expired   zset   id -> expired at (epoch ms, Redis time); the job's data stays for the operator
-- ARGV[1] N, the most jobs to claim (1..1000)
-- ARGV[2] claim deadline (epoch ms)
-- ARGV[3] claim token (random, fresh per call)
-- ARGV[4] the type's expire-after (ms after enqueuedAt; 0 = none: only a job's own expireAt counts)
-- ARGV[5] most expired jobs kept in KEYS[7] (>= 1); past it the oldest are deleted with their data
-- Returns { remaining ready count, superseded count, missing count, expired count, id1, json1, attempts1, id2, ... }
--   json is returned as stored, even when it is not valid JSON: the caller flags it, nothing is lost.
--   "missing" counts ids found in ready with no data (dropped; cannot happen unless keys were edited by hand).
-- Errors: "JR_BAD_ARGS ...".

local readyKey, claimedKey, dataKey, metaKey, dedupKey, rootsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local n = tonumber(ARGV[1])
local deadline = tonumber(ARGV[2])
local token = ARGV[3]
local expireAfter, expiredKeep = tonumber(ARGV[4]), tonumber(ARGV[5])
local expiredKey = KEYS[7]

if not n or n < 1 or n > 1000 or not deadline or not token or token == '' or not expireAfter or expireAfter < 0
    or not expiredKeep or expiredKeep < 1 then
  return redis.error_reply('JR_BAD_ARGS claim expects N in 1..1000, a deadline, a token, an expire-after >= 0 and a bound >= 1')
end

local out = { 0, 0, 0, 0 }
local superseded, missing, expired = 0, 0, 0

-- Expiry: the Redis server's time decides, never a host's clock; read only when a job has an expiry.
local now
local function serverNow()
  if not now then
    local time = redis.call('TIME')
    now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  end
  return now
end

-- The time after which the job must not start, or nil.
local function expiresAt(json, expireAt)
  local at = expireAt and tonumber(expireAt)
  if expireAfter > 0 then
    local ok, decoded = pcall(cjson.decode, json)
    local enqueuedAt = ok and type(decoded) == 'table' and tonumber(decoded.enqueuedAt)
    if enqueuedAt and (not at or enqueuedAt + expireAfter < at) then at = enqueuedAt + expireAfter end
  end
  return at
end

-- Keeps the job's data for the operator under `expired`, its claim state gone; drops the oldest past the bound.
local function expire(id, at)
  expired = expired + 1
  redis.call('HDEL', metaKey, id .. ':t', id .. ':d', id .. ':r', id .. ':rt', id .. ':x')
  redis.call('HSET', metaKey, id .. ':e', 'expired: not started before ' .. at .. ' (epoch ms)')
  redis.call('ZADD', expiredKey, serverNow(), id)
  local over = redis.call('ZCARD', expiredKey) - expiredKeep
  if over > 0 then
    for i, old in ipairs(redis.call('ZPOPMIN', expiredKey, over)) do
      if i % 2 == 1 then -- id, score, id, score ...
        redis.call('HDEL', dataKey, old)
        redis.call('HDEL', metaKey, old .. ':a', old .. ':e')
      end
    end
  end
end

for _ = 1, n do
  local id = redis.call('RPOP', readyKey)
  if not id then break end
  local json = redis.call('HGET', dataKey, id)
  if not json then
    missing = missing + 1
  else
    local m = redis.call('HMGET', metaKey, id .. ':d', id .. ':r', id .. ':rt', id .. ':x')
    local dedup, rootSig, rootTs = m[1], m[2], m[3]
    if dedup and redis.call('HGET', dedupKey, dedup) == id then
      redis.call('HDEL', dedupKey, dedup)
    end
    local newestRoot = rootSig and tonumber(redis.call('ZSCORE', rootsKey, rootSig))
    local expiry = (m[4] or expireAfter > 0) and expiresAt(json, m[4])
    if expiry and expiry < serverNow() then
      expire(id, expiry)
    elseif newestRoot and newestRoot > tonumber(rootTs) then
      superseded = superseded + 1
      redis.call('HDEL', dataKey, id)
      redis.call('HDEL', metaKey, id .. ':a', id .. ':t', id .. ':e', id .. ':d', id .. ':r', id .. ':rt')
    else
      if dedup then redis.call('HDEL', metaKey, id .. ':d') end
      local attempts = redis.call('HINCRBY', metaKey, id .. ':a', 1)
      redis.call('HSET', metaKey, id .. ':t', token)
      redis.call('ZADD', claimedKey, deadline, id)
      out[#out + 1] = id
      out[#out + 1] = json
      out[#out + 1] = attempts
    end
  end
end

out[1] = redis.call('LLEN', readyKey)
out[2] = superseded
out[3] = missing
out[4] = expired
return out
