-- claim: take up to N ready jobs of one queue for one runner slot, atomically.
-- Each claimed job moves to `claimed` with a deadline, gets its attempt counted and a fresh claim token
-- (only the holder of the token may ack, release or extend it). Its dedup entry is dropped, so an
-- identical job may be pushed while this one runs. A root job superseded by a newer root is deleted
-- without being returned. Pops at most N ids, so the script is bounded whatever it finds.
--
-- KEYS[1] ready     list   ids; pop from the claim end (RPOP)
-- KEYS[2] claimed   zset   id -> claim deadline (epoch ms)
-- KEYS[3] data      hash   id -> job JSON
-- KEYS[4] meta      hash   "<id>:a" attempts, "<id>:t" claim token, "<id>:d" dedup key, "<id>:r"/"<id>:rt" root
-- KEYS[5] dedup     hash   dedup key -> id
-- KEYS[6] roots     zset   root signature -> newest root timestamp
-- ARGV[1] N, the most jobs to claim (1..1000)
-- ARGV[2] claim deadline (epoch ms)
-- ARGV[3] claim token (random, fresh per call)
-- Returns { remaining ready count, superseded count, missing count, id1, json1, attempts1, id2, ... }
--   json is returned as stored, even when it is not valid JSON: the caller flags it, nothing is lost.
--   "missing" counts ids found in ready with no data (dropped; cannot happen unless keys were edited by hand).
-- Errors: "JR_BAD_ARGS ...".

local readyKey, claimedKey, dataKey, metaKey, dedupKey, rootsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local n = tonumber(ARGV[1])
local deadline = tonumber(ARGV[2])
local token = ARGV[3]

if not n or n < 1 or n > 1000 or not deadline or not token or token == '' then
  return redis.error_reply('JR_BAD_ARGS claim expects N in 1..1000, a deadline and a token')
end

local out = { 0, 0, 0 }
local superseded, missing = 0, 0

for _ = 1, n do
  local id = redis.call('RPOP', readyKey)
  if not id then break end
  local json = redis.call('HGET', dataKey, id)
  if not json then
    missing = missing + 1
  else
    local m = redis.call('HMGET', metaKey, id .. ':d', id .. ':r', id .. ':rt')
    local dedup, rootSig, rootTs = m[1], m[2], m[3]
    if dedup and redis.call('HGET', dedupKey, dedup) == id then
      redis.call('HDEL', dedupKey, dedup)
    end
    local newestRoot = rootSig and tonumber(redis.call('ZSCORE', rootsKey, rootSig))
    if newestRoot and newestRoot > tonumber(rootTs) then
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
return out
