-- ack: delete finished jobs, atomically, but only those whose claim the caller still holds.
-- An ack with a stale token (the claim expired, was recycled and maybe claimed again) deletes nothing
-- and is reported, so a slow runner can never delete a job another runner is now running.
--
-- KEYS[1] claimed   zset   id -> claim deadline
-- KEYS[2] data      hash   id -> job JSON
-- KEYS[3] meta      hash   "<id>:*" fields
-- ARGV    id1, token1, id2, token2, ... (at most 1000 pairs)
-- Returns { acked count, stale id1, stale id2, ... }
-- Errors: "JR_BAD_ARGS ...".

local claimedKey, dataKey, metaKey = KEYS[1], KEYS[2], KEYS[3]

if #ARGV == 0 or #ARGV % 2 ~= 0 or #ARGV > 2000 then
  return redis.error_reply('JR_BAD_ARGS ack expects 1..1000 id/token pairs')
end

local out = { 0 }
for i = 1, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', metaKey, id .. ':t') == token then
    redis.call('ZREM', claimedKey, id)
    redis.call('HDEL', dataKey, id)
    redis.call('HDEL', metaKey, id .. ':a', id .. ':t', id .. ':e', id .. ':d', id .. ':r', id .. ':rt')
    out[1] = out[1] + 1
  else
    out[#out + 1] = id
  end
end
return out
