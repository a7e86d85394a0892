-- Applies one event's effects to a pool's Redis counters, at most once.
-- KEYS[1] pool hash, KEYS[2] the pool's seat -> holder hash, KEYS[3] the organization's set of pools,
-- KEYS[4] the organization's usage hash (sums over its pools in service: active, or past due within grace),
-- KEYS[5] the rebuild's mark: while it exists the counters are being copied from PostgreSQL and nothing is applied (-1)
-- ARGV[1] the event's global position, ARGV[2] the holder-set key prefix, ARGV[3] the pool id,
-- then triples (operation, a, b):
--   incr field delta | set field value | pool - - | claim seatId userId | release seatId -
if redis.call('EXISTS', KEYS[5]) == 1 then
    return -1
end
local position = tonumber(ARGV[1])
local applied = tonumber(redis.call('HGET', KEYS[1], 'position') or '-1')
if applied >= position then
    return 0
end

-- A pool's share of its organization's usage: capacity, pending, claimed, available, pools.
local function share()
    local pool = redis.call('HMGET', KEYS[1], 'status', 'graceExpired', 'capacity', 'pending', 'claimed')
    local status, graceExpired = pool[1], pool[2]
    if not (status == 'ACTIVE' or (status == 'PAST_DUE' and graceExpired == '0')) then
        return {0, 0, 0, 0, 0}
    end
    local capacity, pending, claimed = tonumber(pool[3] or '0'), tonumber(pool[4] or '0'), tonumber(pool[5] or '0')
    return {capacity, pending, claimed, math.max(0, capacity - pending - claimed), 1}
end

local before = share()
for i = 4, #ARGV, 3 do
    local operation, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    if operation == 'incr' then
        redis.call('HINCRBY', KEYS[1], a, b)
    elseif operation == 'set' then
        redis.call('HSET', KEYS[1], a, b)
    elseif operation == 'pool' then
        redis.call('SADD', KEYS[3], ARGV[3])
    elseif operation == 'claim' then
        redis.call('HSET', KEYS[2], a, b)
        redis.call('SADD', ARGV[2] .. b, ARGV[3] .. ':' .. a)
    elseif operation == 'release' then
        local holder = redis.call('HGET', KEYS[2], a)
        if holder then
            redis.call('SREM', ARGV[2] .. holder, ARGV[3] .. ':' .. a)
            redis.call('HDEL', KEYS[2], a)
        end
    end
end
local after = share()
local fields = {'capacity', 'pending', 'claimed', 'available', 'pools'}
for f = 1, 5 do
    if after[f] ~= before[f] then
        redis.call('HINCRBY', KEYS[4], fields[f], after[f] - before[f])
    end
end
redis.call('HSET', KEYS[1], 'position', position)
return 1
