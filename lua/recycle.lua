-- recycle: (chron) claims past their deadline (server time), whose runner died or hung, go back to the claim
-- end of ready, or to abandoned when they used all their attempts. The attempt was counted at claim time and
-- is not counted again here; a claim that was never started (a runner died with it in its buffer) gets its
-- attempt back. The limit is the one the claiming runner stored with the claim ("<id>:m"), the caller's only
-- for claims made before that was stored. A job back in ready gets its dedup entry back (unless an equal job
-- took it meanwhile); an abandoned one drops it if it still holds it (until-finished: it ends here). A job whose attempts field is corrupt is abandoned with that reason.
-- Its first write (ZREM) is one Redis does not refuse at maxmemory: a dead runner's claims come back then too.
-- Bounded: at most ARGV[1] claims per call; call again while `more` is 1.
--
-- KEYS[1] claimed   zset   id -> claim deadline (epoch ms, server clock)
-- KEYS[2] ready     list   ids
-- KEYS[3] abandoned zset   id -> abandoned at (epoch ms, server clock)
-- KEYS[4] meta      hash   "<id>:a" attempts, "<id>:t" token, "<id>:m" max attempts, "<id>:s" started (1|0),
--                          "<id>:e" last error, "<id>:d" dedup key
-- KEYS[5] delayed   zset   id -> release time (read only, for the next due time)
-- KEYS[6] dedup     hash   dedup key -> id
-- KEYS[7] prioritized zset ids of priority 1..9 ("<id>:p"): where a job with a priority waits instead of ready
-- ARGV[1] limit (1..1000)
-- ARGV[2] max attempts for claims that did not store theirs (>= 1)
-- Returns { recycled, abandoned, readyWasEmpty (1|0), more (1|0), next due (epoch ms, -1 = nothing due),
--           unstarted (of the recycled: claims never started, their attempt given back) }
-- Errors: "JR_BAD_ARGS ...".

local claimedKey, readyKey, abandonedKey, metaKey, delayedKey, dedupKey, prioKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local limit, defaultMax = tonumber(ARGV[1]), tonumber(ARGV[2])

if not limit or limit < 1 or limit > 1000 or not defaultMax or defaultMax < 1 then
  return redis.error_reply('JR_BAD_ARGS recycle expects limit in 1..1000, max attempts >= 1')
end

-- #include ready-put.lua

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local expired = redis.call('ZRANGEBYSCORE', claimedKey, '-inf', now, 'LIMIT', 0, limit)
local readyWasEmpty = redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0
local recycled, abandoned, unstarted = 0, 0, 0

for _, id in ipairs(expired) do
  local m = redis.call('HMGET', metaKey, id .. ':a', id .. ':m', id .. ':s', id .. ':d', id .. ':p')
  local attempts, maxAttempts, dedup = tonumber(m[1] or '0'), tonumber(m[2]) or defaultMax, m[4]
  local started = m[3] ~= '0' -- a claim without the mark predates started marks: counted as started
  redis.call('ZREM', claimedKey, id)
  redis.call('HDEL', metaKey, id .. ':t', id .. ':s')
  local reason = nil
  if not attempts or attempts ~= math.floor(attempts) then
    reason = 'corrupt job record, abandoned when its claim expired: attempts field is not a whole number: ' .. m[1]
  elseif started and attempts >= maxAttempts then
    reason = 'claim expired on attempt ' .. attempts .. ' of ' .. maxAttempts
      .. ': the runner holding it stopped or hung; out of attempts'
  end
  if reason then
    redis.call('ZADD', abandonedKey, now, id)
    redis.call('HSET', metaKey, id .. ':e', reason)
    if dedup and redis.call('HGET', dedupKey, dedup) == id then redis.call('HDEL', dedupKey, dedup) end
    abandoned = abandoned + 1
  else
    if not started and attempts > 0 then
      redis.call('HINCRBY', metaKey, id .. ':a', -1)
      unstarted = unstarted + 1
    end
    if dedup and redis.call('HEXISTS', dedupKey, dedup) == 0 then redis.call('HSET', dedupKey, dedup, id) end
    readyPut(readyKey, prioKey, id, m[5], true)
    recycled = recycled + 1
  end
end

local nextDue = -1
local c = redis.call('ZRANGE', claimedKey, 0, 0, 'WITHSCORES')
if c[2] then nextDue = tonumber(c[2]) end
local d = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
if d[2] and (nextDue == -1 or tonumber(d[2]) < nextDue) then nextDue = tonumber(d[2]) end

return { recycled, abandoned, (readyWasEmpty and recycled > 0) and 1 or 0, #expired == limit and 1 or 0, nextDue, unstarted }
