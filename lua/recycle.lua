-- recycle: (chron) claims past their deadline, whose runner died or hung, go back to the claim end of
-- ready, or to abandoned when they used all their attempts. The attempt was counted at claim time and
-- is not counted again here. Bounded: at most ARGV[2] claims per call; call again while `more` is 1.
--
-- KEYS[1] claimed   zset   id -> claim deadline (epoch ms)
-- KEYS[2] ready     list   ids
-- KEYS[3] abandoned zset   id -> abandoned at (epoch ms)
-- KEYS[4] meta      hash   "<id>:a" attempts, "<id>:t" token, "<id>:e" last error
-- KEYS[5] delayed   zset   id -> releaseAt (read only, for the next due time)
-- ARGV[1] now (epoch ms)
-- ARGV[2] limit (1..1000)
-- ARGV[3] max attempts of this queue's type (>= 1)
-- Returns { recycled, abandoned, readyWasEmpty (1|0), more (1|0), next due (epoch ms, -1 = nothing due) }
-- Errors: "JR_BAD_ARGS ...".

local claimedKey, readyKey, abandonedKey, metaKey, delayedKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, limit, maxAttempts = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

if not now or not limit or limit < 1 or limit > 1000 or not maxAttempts or maxAttempts < 1 then
  return redis.error_reply('JR_BAD_ARGS recycle expects now, limit in 1..1000, max attempts >= 1')
end

local expired = redis.call('ZRANGEBYSCORE', claimedKey, '-inf', now, 'LIMIT', 0, limit)
local readyWasEmpty = redis.call('LLEN', readyKey) == 0
local recycled, abandoned = 0, 0

for _, id in ipairs(expired) do
  redis.call('ZREM', claimedKey, id)
  redis.call('HDEL', metaKey, id .. ':t')
  local attempts = tonumber(redis.call('HGET', metaKey, id .. ':a')) or 0
  if attempts >= maxAttempts then
    redis.call('ZADD', abandonedKey, now, id)
    redis.call('HSET', metaKey, id .. ':e',
      'claim expired on attempt ' .. attempts .. ' of ' .. maxAttempts
        .. ': the runner holding it stopped or hung; out of attempts')
    abandoned = abandoned + 1
  else
    redis.call('RPUSH', readyKey, id)
    recycled = recycled + 1
  end
end

local nextDue = -1
local c = redis.call('ZRANGE', claimedKey, 0, 0, 'WITHSCORES')
if c[2] then nextDue = tonumber(c[2]) end
local d = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
if d[2] and (nextDue == -1 or tonumber(d[2]) < nextDue) then nextDue = tonumber(d[2]) end

return { recycled, abandoned, (readyWasEmpty and recycled > 0) and 1 or 0, #expired == limit and 1 or 0, nextDue }
