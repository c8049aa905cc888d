-- cancel: (operator) ask the runner holding a claimed job to cancel its run. Changes no job state: the
-- runner cancels the run like a timeout and abandons the job ("cancelled by operator") through release,
-- with its claim token, so the delivery contract stays where it is enforced. The request is published on
-- the wake-up channel (PUBLISH takes no key: valid on Redis Cluster); the caller also records it in the
-- cancel requests hash for a runner that missed the message.
--
-- KEYS[1] claimed   zset   id -> claim deadline (epoch ms)
-- ARGV[1] id
-- ARGV[2] wake-up channel
-- ARGV[3] message to publish ("!cancel domain/type id")
-- Returns 1 when the job is claimed (the request was published), 0 when it is not (nothing to cancel).

local claimedKey = KEYS[1]
local id, channel, message = ARGV[1], ARGV[2], ARGV[3]

if not redis.call('ZSCORE', claimedKey, id) then
  return 0
end
redis.call('PUBLISH', channel, message)
return 1
