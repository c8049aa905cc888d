-- rate-bucket: a token bucket kept as one number, its theoretical arrival time (TAT, epoch µs, Redis time): tokens
-- are spaced one interval (the limit's period / limit) apart, and `burst` of them may be taken at once after an idle
-- spell, so over any window W at most burst + W / interval tokens are granted. Not a script of its own: rate-take.lua
-- (a type's or a domain's bucket) and claim.lua (a queue's own) include it where they say
-- "-- #include rate-bucket.lua".

-- The bucket now: the tokens free (0..wanted), its TAT (never before now) and its tolerance, for rateTake.
local function rateFree(bucketKey, interval, burst, nowMicros, wanted)
  local tat = math.max(tonumber(redis.call('GET', bucketKey)) or 0, nowMicros)
  local tolerance = (burst - 1) * interval
  local free = math.floor((tolerance + interval - (tat - nowMicros)) / interval + 1e-9)
  return math.max(0, math.min(wanted, free)), tat, tolerance
end

-- Takes n (>= 1) of the free tokens: moves the TAT on by their intervals, the key expiring when the bucket is full
-- again. Returns the new TAT.
local function rateTake(bucketKey, tat, interval, n, nowMicros)
  tat = tat + n * interval
  redis.call('SET', bucketKey, string.format('%.0f', tat), 'PX', math.ceil((tat - nowMicros) / 1000) + 1)
  return tat
end
