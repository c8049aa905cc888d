-- push: add a batch of jobs to one queue, atomically.
-- A job with a delay waits in `delayed` until the server's time passes now + delay; the rest go to the push
-- end of `ready`, or of `prioritized` for a job with a priority of 1 to 9 (kept in "<id>:p" for the scripts that
-- put it back to ready later); a queue whose jobs all have priority 0 never writes `prioritized`.
-- Release times are the server's clock (TIME), so a producer's clock never decides when a job
-- may run. A job whose dedupKey is held is dropped as a duplicate: by an entry in `dedup` (a job that waits, or
-- one of mode until-started that has not started yet, or of mode until-finished that has not finished) or in
-- `unique` (a job of mode for:<ms> pushed less than that long ago). So is a job whose id is already stored (a
-- producer retrying a push after a timeout). A job's mode other than while-waiting is kept in "<id>:u" for the
-- scripts that take or release its entry (claim, start, release, recycle); for:<ms> holds by time alone.
-- A root job records its root timestamp, so older jobs of the same root are superseded at claim time, and
-- when the entry was written (server time), which is what pruning goes by.
-- When the push takes the queue from no ready job to some, the wake-up is published from here, so idle
-- runners hear of it one round trip sooner than from the caller's registry follow-up (PUBLISH takes no key:
-- still valid on Redis Cluster, where it reaches every node's subscribers).
-- On a single Redis node (standalone or Sentinel; KEYS[10..12] given) the script also keeps the registry itself:
-- the queue is known (SADD, its first write), a queue it made ready gets the fresh stamp ARGV[5] in the ready
-- registry, and delayed jobs lower the queue's entry in the due index; a push is then one command. On Redis
-- Cluster those keys live in other slots, so the caller writes them around the script. The wake-up is a hint (no
-- stamp) either way: runners never empty the registry under a push's stamp.
-- Every argument is checked before the first write. The first write (SADD on a single node, HSET otherwise) is
-- one Redis refuses at maxmemory, so a push to a Redis out of memory fails whole, with the OOM error.
--
-- KEYS[1] ready          list   job ids; LPUSH here, claim pops from the other end
-- KEYS[2] delayed        zset   id -> release time (epoch ms, server clock)
-- KEYS[3] data           hash   id -> job JSON
-- KEYS[4] meta           hash   "<id>:d" -> dedup key, "<id>:r" -> root signature, "<id>:rt" -> root timestamp,
--                               "<id>:x" -> expireAt (epoch ms; read by claim, which drops the job once it passed),
--                               "<id>:u" -> uniqueness mode (until-started | until-finished; none: while-waiting),
--                               "<id>:p" -> priority (1..9; none: 0)
-- KEYS[5] dedup          hash   dedup key -> id, while that job waits
-- KEYS[6] roots          zset   root signature -> newest root timestamp (epoch ms, the producer's)
-- KEYS[7] roots-written  zset   root signature -> when its entry was last written (epoch ms, server clock)
-- KEYS[8] unique         zset   dedup key -> held until (epoch ms, server clock), for jobs of mode for:<ms>
-- KEYS[9] prioritized    zset   ids of priority 1..9 -> (9 - priority) * 1e15 + position (claimed before `ready`)
-- KEYS[10] known        set    optional, single node only: every queue's name (jr:queues)
-- KEYS[11] ready registry hash  with KEYS[10]: "domain/type" -> version stamp (jr:ready)
-- KEYS[12] due index    zset   with KEYS[10]: "domain/type" -> earliest due time (epoch ms, server clock; jr:due)
-- ARGV[1] N, the number of jobs that follow (the caller chunks; at most 1000)
-- ARGV[2] wake-up channel (e.g. jr:wake)
-- ARGV[3] wake-up message, published on ARGV[2] when the queue became ready (e.g. "domain/type")
-- ARGV[4] the queue's name ("domain/type") and ARGV[5] a fresh version stamp, with KEYS[10]; '' and '' without
-- then 9 values per job: id, job JSON, delay (ms; 0 = ready now), dedup key ('' = none),
--   root signature ('' = none), root timestamp (epoch ms from 2000-01-01 to 2099-12-31; 0 = none),
--   expireAt (epoch ms; 0 = never), uniqueness ('' = while-waiting, until-started, until-finished, for:<ms>;
--   anything but '' needs a dedup key), priority (0..9; higher is claimed first)
-- Returns { {pushed ids}, {duplicate ids}, readyWasEmpty (1|0), earliest release time pushed (epoch ms, 0 = none) }
-- Errors: "JR_BAD_ARGS ..." when ARGV does not match N or a value is not what is described above.

local readyKey, delayedKey, dataKey, metaKey, dedupKey, rootsKey, rootsWrittenKey, uniqueKey, prioKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local n = tonumber(ARGV[1])
local wakeChannel, wakeMessage, queueName, stamp = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local knownKey, registryKey, dueKey = KEYS[10], KEYS[11], KEYS[12]

if not n or n < 0 or n > 1000 or #ARGV ~= 5 + n * 9 then
  return redis.error_reply('JR_BAD_ARGS push expects N <= 1000, the wake-up channel and message, the queue and a stamp,'
    .. ' and 9 values per job')
end
if knownKey and (not registryKey or not dueKey or queueName == '' or stamp == '') then
  return redis.error_reply('JR_BAD_ARGS push with the known set expects the ready registry, the due index, the queue'
    .. ' and a stamp')
end
-- The period of a for:<ms> mode, or nil.
local function periodOf(unique)
  return tonumber(string.match(unique, '^for:(%d+)$'))
end
for i = 0, n - 1 do
  local base = 6 + i * 9
  local delay, rootTs, priority = tonumber(ARGV[base + 2]), tonumber(ARGV[base + 5]), tonumber(ARGV[base + 8])
  local unique = ARGV[base + 7]
  local uniqueOk = unique == '' or (ARGV[base + 3] ~= '' and (unique == 'until-started' or unique == 'until-finished'
    or (periodOf(unique) or 0) >= 1))
  if ARGV[base] == '' or not delay or delay < 0 or not rootTs or not tonumber(ARGV[base + 6]) or not uniqueOk
      or not priority or priority < 0 or priority > 9 or priority ~= math.floor(priority)
      or (ARGV[base + 4] ~= '' and (rootTs < 946684800000 or rootTs >= 4102444800000)) then
    return redis.error_reply('JR_BAD_ARGS push job ' .. (i + 1) .. ' (id ' .. ARGV[base] .. '): expects an id,'
      .. ' a delay >= 0, an expireAt, with a root a root timestamp in epoch ms from 2000 to 2099, and a uniqueness'
      .. ' of until-started, until-finished or for:<ms> only with a dedup key, and a priority of 0 to 9')
  end
end

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

if knownKey then redis.call('SADD', knownKey, queueName) end
local readyWasEmpty = (redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0) and 1 or 0
local pushed, duplicates = {}, {}
local earliestRelease = 0

-- #include ready-put.lua

-- True when a for:<ms> entry holds the key now. One that ran out is left to prune (and overwritten by the next
-- push of the key): removing it here would be a write before the first HSET, which must stay first.
local function heldForPeriod(dedup)
  local heldUntil = tonumber(redis.call('ZSCORE', uniqueKey, dedup))
  return heldUntil ~= nil and heldUntil > now
end

for i = 0, n - 1 do
  local base = 6 + i * 9
  local id, json = ARGV[base], ARGV[base + 1]
  local delay = tonumber(ARGV[base + 2])
  local dedup, rootSig, rootTs = ARGV[base + 3], ARGV[base + 4], tonumber(ARGV[base + 5])
  local expireAt, unique, priority = ARGV[base + 6], ARGV[base + 7], ARGV[base + 8]

  if redis.call('HEXISTS', dataKey, id) == 1
      or (dedup ~= '' and (redis.call('HEXISTS', dedupKey, dedup) == 1 or heldForPeriod(dedup))) then
    duplicates[#duplicates + 1] = id
  else
    redis.call('HSET', dataKey, id, json)
    local period = periodOf(unique)
    if period then
      redis.call('ZADD', uniqueKey, now + period, dedup)
    elseif dedup ~= '' then
      redis.call('HSET', dedupKey, dedup, id)
      redis.call('HSET', metaKey, id .. ':d', dedup)
      if unique ~= '' then redis.call('HSET', metaKey, id .. ':u', unique) end
    end
    if rootSig ~= '' then
      redis.call('HSET', metaKey, id .. ':r', rootSig, id .. ':rt', rootTs)
      redis.call('ZADD', rootsKey, 'GT', rootTs, rootSig)
      redis.call('ZADD', rootsWrittenKey, now, rootSig)
    end
    if expireAt ~= '0' then
      redis.call('HSET', metaKey, id .. ':x', expireAt)
    end
    if tonumber(priority) > 0 then
      redis.call('HSET', metaKey, id .. ':p', priority)
    end
    if delay > 0 then
      local releaseAt = now + delay
      redis.call('ZADD', delayedKey, releaseAt, id)
      if earliestRelease == 0 or releaseAt < earliestRelease then earliestRelease = releaseAt end
    else
      readyPut(readyKey, prioKey, id, priority, false)
    end
    pushed[#pushed + 1] = id
  end
end

if readyWasEmpty == 1 and redis.call('LLEN', readyKey) == 0 and redis.call('ZCARD', prioKey) == 0 then readyWasEmpty = 0 end
if knownKey then
  if readyWasEmpty == 1 then redis.call('HSET', registryKey, queueName, stamp) end
  if earliestRelease > 0 then redis.call('ZADD', dueKey, 'LT', earliestRelease, queueName) end
end
if readyWasEmpty == 1 then redis.call('PUBLISH', wakeChannel, wakeMessage) end
return { pushed, duplicates, readyWasEmpty, earliestRelease }
