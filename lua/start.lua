-- start: mark buffered claims as started, just before their runner runs them. A claim that expires unstarted
-- (its runner died with it still buffered) gets its attempt back in recycle; a started one has spent it.
-- The mark moves by HDEL then HSET: Redis refuses a script at maxmemory only for a first write that may grow
-- memory (HDEL does not), so runners keep starting jobs while Redis is out of memory.
--
-- KEYS[1] meta      hash   "<id>:t" claim token, "<id>:s" started
-- ARGV    id1, token1, id2, token2, ... (at most 1000 pairs)
-- Returns { lost id1, ... }: ids whose claim the caller no longer holds (nothing marked for them)
-- Errors: "JR_BAD_ARGS ...".

local metaKey = KEYS[1]

if #ARGV == 0 or #ARGV % 2 ~= 0 or #ARGV > 2000 then
  return redis.error_reply('JR_BAD_ARGS start expects 1..1000 id/token pairs')
end

local lost = {}
for i = 1, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', metaKey, id .. ':t') == token then
    redis.call('HDEL', metaKey, id .. ':s')
    redis.call('HSET', metaKey, id .. ':s', '1')
  else
    lost[#lost + 1] = id
  end
end
return lost
