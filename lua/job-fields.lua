-- job-fields: the per-job fields of a queue's meta hash, in one place. Not a script of its own: the scripts that
-- delete a job (ack, claim for a superseded job, delete, prune) include it where they say "-- #include job-fields.lua",
-- so a field added here is deleted by all of them.
--   <id>:a attempts          <id>:t claim token         <id>:s started (1|0)     <id>:e last error
--   <id>:d dedup key         <id>:r root signature      <id>:rt root timestamp   <id>:m max attempts
--   <id>:x expiry (epoch ms)    <id>:u uniqueness mode (until-started | until-finished)   <id>:p priority (1..9)
local JOB_FIELDS = { 'a', 't', 'e', 'd', 'r', 'rt', 'm', 's', 'x', 'u', 'p' }

-- Deletes every per-job field of id from the meta hash.
local function deleteJobFields(metaKey, id)
  local fields = {}
  for i = 1, #JOB_FIELDS do fields[i] = id .. ':' .. JOB_FIELDS[i] end
  redis.call('HDEL', metaKey, unpack(fields))
end
