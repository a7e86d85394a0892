-- A user's claimed seats in the organization's pools that are in service (active, or past due within grace), read
-- with the completeness mark in one command, so a check costs one round trip and never trusts flushed counters.
-- KEYS[1] the user's holder set (members "poolId:seatId"); KEYS[2] the completeness mark;
-- ARGV[1] the pool-hash key prefix of the organization.
-- Returns {0} while the counters are incomplete, else {1, poolId, seatId, poolId, seatId, ...}.
if redis.call('EXISTS', KEYS[2]) == 0 then
    return {0}
end
local seats = {1}
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    local separator = string.find(member, ':', 1, true)
    local poolId, seatId = string.sub(member, 1, separator - 1), string.sub(member, separator + 1)
    local pool = redis.call('HMGET', ARGV[1] .. poolId, 'status', 'graceExpired')
    if pool[1] == 'ACTIVE' or (pool[1] == 'PAST_DUE' and pool[2] == '0') then
        table.insert(seats, poolId)
        table.insert(seats, seatId)
    end
end
return seats
