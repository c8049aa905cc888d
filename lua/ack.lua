-- ack: delete finished jobs, atomically, but only those whose claim the caller still holds.
-- An ack with a stale token (the claim expired, was recycled and maybe claimed again) deletes nothing
-- and is reported, so a slow runner can never delete a job another runner is now running.
-- Its first write (ZREM) is one Redis does not refuse at maxmemory: acks land while Redis is out of memory.
--
-- KEYS[1] claimed   zset   id -> claim deadline
-- KEYS[2] data      hash   id -> job JSON
-- KEYS[3] meta      hash   "<id>:*" fields
-- KEYS[4] dedup     hash   dedup key -> id (an entry naming the job is dropped with it: an until-finished job
--                          holds its entry until here)
-- ARGV    id1, token1, id2, token2, ... (at most 1000 pairs)
-- Returns { acked count, stale id1, stale id2, ... }
-- Errors: "JR_BAD_ARGS ...".

-- #include job-fields.lua
local claimedKey, dataKey, metaKey, dedupKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

if #ARGV == 0 or #ARGV % 2 ~= 0 or #ARGV > 2000 then
  return redis.error_reply('JR_BAD_ARGS ack expects 1..1000 id/token pairs')
end

local out = { 0 }
for i = 1, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local m = redis.call('HMGET', metaKey, id .. ':t', id .. ':d')
  if m[1] == token then
    redis.call('ZREM', claimedKey, id)
    redis.call('HDEL', dataKey, id)
    deleteJobFields(metaKey, id)
    if m[2] and redis.call('HGET', dedupKey, m[2]) == id then redis.call('HDEL', dedupKey, m[2]) end
    out[1] = out[1] + 1
  else
    out[#out + 1] = id
  end
end
return out
