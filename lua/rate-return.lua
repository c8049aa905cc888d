-- rate-return: give back tokens of a rate limit that a claim took (rate-take.lua) but did not use, atomically.
-- Moves the bucket's TAT back by their intervals, as if they had never been taken: the limit's bound still holds,
-- since every token that stays granted keeps its interval.
--
-- KEYS[1] bucket    string TAT (epoch µs, Redis time)
-- ARGV[1] interval (µs, > 0, may be fractional), as given to rate-take
-- ARGV[2] N (1..1000): tokens given back
-- Returns 1 when the bucket was moved, 0 when it was already full (expired)
-- Errors: "JR_BAD_ARGS ..." when a value is not what is described above.

local bucketKey = KEYS[1]
local interval, count = tonumber(ARGV[1]), tonumber(ARGV[2])

if not interval or interval <= 0 or not count or count < 1 or count > 1000 then
  return redis.error_reply('JR_BAD_ARGS rate-return expects an interval > 0 µs and N in 1..1000')
end

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local tat = tonumber(redis.call('GET', bucketKey))
if not tat then
  return 0
end
tat = tat - count * interval
if tat <= now then
  redis.call('DEL', bucketKey)
else
  redis.call('SET', bucketKey, string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1)
end
return 1
