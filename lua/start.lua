-- start: mark buffered claims as started, just before their runner runs them. A claim that expires unstarted
-- (its runner died with it still buffered) gets its attempt back in recycle; a started one has spent it.
-- A job of uniqueness mode until-started drops its dedup entry here (and its record of the key, so a retry does
-- not take it again). The mark moves by HDEL then HSET: Redis refuses a script at maxmemory only for a first write that may grow
-- memory (HDEL does not), so runners keep starting jobs while Redis is out of memory.
--
-- KEYS[1] meta      hash   "<id>:t" claim token, "<id>:s" started, "<id>:d" dedup key, "<id>:u" uniqueness mode
-- KEYS[2] dedup     hash   dedup key -> id (optional: without it no entry is dropped)
-- ARGV    id1, token1, id2, token2, ... (at most 1000 pairs)
-- Returns { lost id1, ... }: ids whose claim the caller no longer holds (nothing marked for them)
-- Errors: "JR_BAD_ARGS ...".

local metaKey, dedupKey = KEYS[1], KEYS[2]

if #ARGV == 0 or #ARGV % 2 ~= 0 or #ARGV > 2000 then
  return redis.error_reply('JR_BAD_ARGS start expects 1..1000 id/token pairs')
end

local lost = {}
for i = 1, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local m = redis.call('HMGET', metaKey, id .. ':t', id .. ':u', id .. ':d')
  if m[1] == token then
    redis.call('HDEL', metaKey, id .. ':s')
    if dedupKey and m[2] == 'until-started' then
      if m[3] and redis.call('HGET', dedupKey, m[3]) == id then redis.call('HDEL', dedupKey, m[3]) end
      redis.call('HDEL', metaKey, id .. ':d', id .. ':u')
    end
    redis.call('HSET', metaKey, id .. ':s', '1')
  else
    lost[#lost + 1] = id
  end
end
return lost
