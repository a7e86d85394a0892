-- Ends a rebuild of the Redis counters in one step, so that no instance ever sees neither mark and starts another.
-- KEYS[1] the rebuild's mark, KEYS[2] the completeness mark; ARGV[1] the value this rebuild set its mark to,
-- ARGV[2] '1' when the copy is complete (the completeness mark is set as the rebuild's mark goes), '0' when it failed.
-- Nothing is done when the mark is no longer this rebuild's (it expired, and another rebuild may hold it). Returns 1
-- when the mark was removed, else 0.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
end
if ARGV[2] == '1' then
    redis.call('SET', KEYS[2], '1')
end
redis.call('DEL', KEYS[1])
return 1
