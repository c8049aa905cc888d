-- claim: take up to N ready jobs of one queue for one runner slot, atomically.
-- Each claimed job moves to `claimed` with a deadline of the server's time plus the claim TTL, gets its attempt
-- counted, a fresh claim token (only the holder of the token may ack, release or extend it) and the claiming
-- runner's max attempts (recycle abandons by it). The first `started` of the returned jobs are marked started
-- (the slot runs them at once); the others wait in the runner's buffer until it marks them (start.lua), and a
-- claim that expires unstarted gets its attempt back. Its dedup entry, by its uniqueness mode ("<id>:u"):
-- while-waiting (none): dropped while it is claimed (an identical job may be pushed while this one runs), the
-- job's own record of its key stays, so the entry comes back if the job waits again; until-started: dropped with
-- the job's record of it once the job is marked started (a buffered one keeps it until start.lua);
-- until-finished: kept (ack, abandon, expiry or delete drop it). A job that does not run here (expired,
-- superseded, corrupt) always drops it. A root job superseded by a newer root is deleted without being returned.
-- A job whose per-job fields are corrupt (attempts not a whole number, a root without a timestamp) is moved to
-- abandoned with the reason, never left in no state. A job past its expiry (its expireAt, or its enqueue time plus
-- the type's expire-after) is not run: it moves to `expired` (kept for the operator, the oldest dropped past a
-- bound) and is counted. Pops at most N ids, so the script is bounded.
-- Idempotent per token: the ids claimed are kept under the marker key for a short while, and a call that
-- finds its marker (a client re-sending the command after a reconnect) returns the same jobs, claiming none.
-- The first write (RPOP, or ZPOPMIN) is one Redis does not refuse at maxmemory, so runners keep draining then.
-- The queue's claimed and meta keys are kept in their large encodings (large-encoding.lua), where claims and acks
-- cost the same whatever the number of jobs claimed.
-- Jobs with a priority (KEYS[10], higher first, FIFO within one) are claimed before the list's; a queue without
-- any costs one EXISTS per call. With a rate limit of this queue (ARGV[9]; its bucket KEYS[11], one per queue, so
-- in its hash tag) it claims no more jobs than the bucket has tokens, and takes one per job claimed (as
-- rate-take.lua does for a type's or domain's bucket); without one nothing about rates is read or written.
-- On a single Redis node (KEYS[12..13] given) it also keeps the registry, as the caller does around it on a
-- cluster: the claim deadline lowers the queue's entry in the due index, and a claim that leaves the queue empty
-- takes it out of the ready registry if its stamp is still ARGV[12], the one the caller read (compare-and-delete,
-- as registry-remove.lua). (Eleven keys and the registry's two: each is one the claim reads or moves a job through,
-- in one atomic step.)
--
-- KEYS[1] ready     list   ids; pop from the claim end (RPOP)
-- KEYS[2] claimed   zset   id -> claim deadline (epoch ms, server clock)
-- KEYS[3] data      hash   id -> job JSON
-- KEYS[4] meta      hash   "<id>:a" attempts, "<id>:t" token, "<id>:m" max attempts, "<id>:s" started (1|0),
--                          "<id>:d" dedup key, "<id>:u" uniqueness mode, "<id>:r"/"<id>:rt" root,
--                          "<id>:x" expireAt, "<id>:e" last error
-- KEYS[5] dedup     hash   dedup key -> id
-- KEYS[6] roots     zset   root signature -> newest root timestamp
-- KEYS[7] abandoned zset   id -> abandoned at (epoch ms, server clock)
-- KEYS[8] marker    string this call's claimed ids (the token's own key, same hash tag)
-- KEYS[9] expired   zset   id -> expired at (epoch ms, server clock); the job's data stays for the operator
-- KEYS[10] prioritized zset ids of priority 1..9 -> band and position (ZPOPMIN gives the next); see push.lua
-- KEYS[11] rate     string the queue's rate bucket, its TAT (epoch µs, server clock); read only with ARGV[9]
-- KEYS[12] ready registry hash  optional, single node only: "domain/type" -> version stamp (jr:ready)
-- KEYS[13] due index      zset  with KEYS[12]: "domain/type" -> earliest due time (epoch ms, server clock; jr:due)
-- ARGV[1] N, the most jobs to claim (1..1000)
-- ARGV[2] claim TTL (ms, >= 1)
-- ARGV[3] claim token (random, fresh per call)
-- ARGV[4] the claiming runner's max attempts for this type (>= 1; 0 = none stored, recycle uses the chron's)
-- ARGV[5] started: how many of the returned jobs are marked started at once (0..N)
-- ARGV[6] marker TTL (ms, >= 1): how long a re-sent call can still find this one's jobs
-- ARGV[7] the type's expire-after (ms after enqueuedAt; 0 = none: only a job's own expireAt counts)
-- ARGV[8] most expired jobs kept in KEYS[9] (>= 1); past it the oldest are deleted with their data
-- ARGV[9] the queue's rate interval (µs, > 0, may be fractional: the period divided by the limit); '' = no limit
-- ARGV[10] with ARGV[9]: the rate's burst (>= 1): tokens that may be taken at once from a full bucket
-- ARGV[11] with KEYS[12]: the queue's name ("domain/type"); ARGV[12] the registry stamp the caller read ('' = none)
-- Returns { remaining ready count, superseded count, missing count, deadline (epoch ms), corrupt count,
--           expired count, rate wait, id1, json1, attempts1, id2, ... }
--   "rate wait" is 0, or the ms until the rate bucket's next token when it stopped the claim with jobs left.
--   json is returned as stored, even when it is not valid JSON: the caller flags it, nothing is lost.
--   "missing" counts ids found in ready with no data (dropped; cannot happen unless keys were edited by hand).
--   "corrupt" counts jobs moved to abandoned for corrupt fields.
-- Errors: "JR_BAD_ARGS ...".

-- #include job-fields.lua
-- #include large-encoding.lua
-- #include rate-bucket.lua
local readyKey, claimedKey, dataKey, metaKey, dedupKey, rootsKey, abandonedKey, markerKey, expiredKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local n, ttl, token = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local maxAttempts, started, markerTtl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local expireAfter, expiredKeep = tonumber(ARGV[7]), tonumber(ARGV[8])
local prioKey, interval, burst = KEYS[10], tonumber(ARGV[9]), tonumber(ARGV[10])
local rateKey = interval and KEYS[11] or nil
local registryKey, dueKey, queueName, readStamp = KEYS[12], KEYS[13], ARGV[11], ARGV[12]

if not n or n < 1 or n > 1000 or not ttl or ttl < 1 or not token or token == '' or not maxAttempts
    or maxAttempts < 0 or not started or started < 0 or not markerTtl or markerTtl < 1
    or not expireAfter or expireAfter < 0 or not expiredKeep or expiredKeep < 1 then
  return redis.error_reply('JR_BAD_ARGS claim expects N in 1..1000, a TTL, a token, max attempts, a started count,'
    .. ' a marker TTL, an expire-after >= 0 and a bound >= 1')
end
if (interval and (not KEYS[11] or interval <= 0 or not burst or burst < 1))
    or (registryKey and (not dueKey or not queueName or queueName == '' or not readStamp)) then
  return redis.error_reply('JR_BAD_ARGS claim expects with a rate its bucket, an interval > 0 and a burst >= 1, and'
    .. ' with the ready registry the due index, the queue and a stamp')
end

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

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

local expired = 0
-- Keeps the job's data for the operator under `expired`, its claim state gone; drops the oldest past the bound.
local function expire(id, at)
  expired = expired + 1
  redis.call('HDEL', metaKey, id .. ':t', id .. ':d', id .. ':r', id .. ':rt', id .. ':x', id .. ':m', id .. ':s', id .. ':u', id .. ':p')
  redis.call('HSET', metaKey, id .. ':e', 'expired: not started before ' .. at .. ' (epoch ms)')
  redis.call('ZADD', expiredKey, now, id)
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

-- Drops the job's dedup entry, if it still names the job (an equal job may hold the key by now).
local function dropEntry(dedup, id)
  if dedup and redis.call('HGET', dedupKey, dedup) == id then redis.call('HDEL', dedupKey, dedup) end
end

local function wholeOrNil(value)
  local number = tonumber(value)
  if number and number == math.floor(number) and number >= 0 then return number end
  return nil
end

local previous = redis.call('GET', markerKey)
if previous then -- the same call again: answer with the jobs it claimed that are still ours
  local out = { redis.call('LLEN', readyKey) + redis.call('ZCARD', prioKey), 0, 0, 0, 0, 0, 0 }
  for id in string.gmatch(previous, '[^ ]+') do
    if redis.call('HGET', metaKey, id .. ':t') == token then
      local deadline = tonumber(redis.call('ZSCORE', claimedKey, id))
      local json = redis.call('HGET', dataKey, id)
      if deadline and json then
        if deadline > out[4] then out[4] = deadline end
        out[#out + 1] = id
        out[#out + 1] = json
        out[#out + 1] = tonumber(redis.call('HGET', metaKey, id .. ':a')) or 0
      end
    end
  end
  return out
end

local deadline = now + ttl
local out = { 0, 0, 0, deadline, 0, 0, 0 }
local superseded, missing, corrupt = 0, 0, 0
local claimedIds = {}

-- The rate bucket: how many tokens it has now (at most n); nil without one.
local nowMicros, tat, tolerance, tokens = tonumber(time[1]) * 1000000 + tonumber(time[2]), nil, nil, nil
if rateKey then
  tokens, tat, tolerance = rateFree(rateKey, interval, burst, nowMicros, n)
end

local prioritized = redis.call('EXISTS', prioKey) == 1
for _ = 1, n do
  if tokens and #claimedIds >= tokens then break end
  local id = nil
  if prioritized then
    id = redis.call('ZPOPMIN', prioKey)[1]
    prioritized = id ~= nil
  end
  id = id or redis.call('RPOP', readyKey)
  if not id then break end
  local json = redis.call('HGET', dataKey, id)
  if not json then
    missing = missing + 1
  else
    local m = redis.call('HMGET', metaKey, id .. ':a', id .. ':d', id .. ':r', id .. ':rt', id .. ':x', id .. ':u')
    local attempts, dedup, rootSig, rootTs, mode = m[1], m[2], m[3], m[4], m[6]
    local problem = nil
    if attempts and not wholeOrNil(attempts) then
      problem = 'attempts field is not a whole number: ' .. attempts
    elseif rootSig and not tonumber(rootTs) then
      problem = 'root job without a numeric root timestamp: ' .. tostring(rootTs)
    end
    local newestRoot = (not problem) and rootSig and tonumber(redis.call('ZSCORE', rootsKey, rootSig))
    local expiry = (not problem) and (m[5] or expireAfter > 0) and expiresAt(json, m[5])
    if problem or (expiry and expiry < now) or (newestRoot and newestRoot > tonumber(rootTs)) then
      dropEntry(dedup, id)
    end
    if problem then
      corrupt = corrupt + 1
      redis.call('HDEL', metaKey, id .. ':t', id .. ':s')
      redis.call('HSET', metaKey, id .. ':e', 'corrupt job record, abandoned at claim: ' .. problem)
      redis.call('ZADD', abandonedKey, now, id)
    elseif expiry and expiry < now then
      expire(id, expiry)
    elseif newestRoot and newestRoot > tonumber(rootTs) then
      superseded = superseded + 1
      redis.call('HDEL', dataKey, id)
      deleteJobFields(metaKey, id)
    else
      local startsNow = #claimedIds < started
      if mode == 'until-started' then
        if startsNow then
          dropEntry(dedup, id)
          redis.call('HDEL', metaKey, id .. ':d', id .. ':u') -- started once: a retry does not take it again
        end
      elseif mode ~= 'until-finished' then
        dropEntry(dedup, id)
      end
      local attempt = (wholeOrNil(attempts) or 0) + 1
      redis.call('HSET', metaKey, id .. ':a', attempt, id .. ':t', token, id .. ':s', startsNow and '1' or '0')
      if maxAttempts > 0 then
        redis.call('HSET', metaKey, id .. ':m', maxAttempts)
      else
        redis.call('HDEL', metaKey, id .. ':m')
      end
      redis.call('ZADD', claimedKey, deadline, id)
      claimedIds[#claimedIds + 1] = id
      out[#out + 1] = id
      out[#out + 1] = json
      out[#out + 1] = attempt
    end
  end
end

if #claimedIds > 0 then
  redis.call('SET', markerKey, table.concat(claimedIds, ' '), 'PX', markerTtl)
  keepLargeEncoding(claimedKey, 'zset')
  keepLargeEncoding(metaKey, 'hash')
end
out[1] = redis.call('LLEN', readyKey) + (prioritized and redis.call('ZCARD', prioKey) or 0)
if rateKey then
  if #claimedIds > 0 then
    tat = rateTake(rateKey, tat, interval, #claimedIds, nowMicros)
  end
  if #claimedIds >= tokens and out[1] > 0 then
    out[7] = math.max(1, math.ceil((tat - tolerance - nowMicros) / 1000))
  end
end
if registryKey then
  if #claimedIds > 0 then redis.call('ZADD', dueKey, 'LT', deadline, queueName) end
  if out[1] == 0 and readStamp ~= '' and redis.call('HGET', registryKey, queueName) == readStamp then
    redis.call('HDEL', registryKey, queueName)
  end
end
out[2] = superseded
out[3] = missing
out[5] = corrupt
out[6] = expired
return out
