-- Applies events' effects to one pool's Redis counters, each event at most once, in the order given.
-- KEYS[1] pool hash, KEYS[2] the pool's seat -> holder hash, KEYS[3] the organization's set of pools,
-- KEYS[4] the organization's usage hash (sums over its pools in service: active, or past due within grace),
-- KEYS[5] the rebuild's mark: while it exists the counters are being copied from PostgreSQL and nothing is applied (-1)
-- ARGV[1] the holder-set key prefix, ARGV[2] the pool id, ARGV[3] the position of the pool's event sent just before
-- these in another call of the same pipeline (-1 if none), then per event: its global position, the number n of its
-- operations, and n triples (operation, a, b):
--   incr field delta | set field value | pool - - | claim seatId userId | release seatId -
-- An event at or below the pool's applied position is skipped. Returns how many events were applied, or -1 when
-- nothing was: the rebuild's mark is set, or the pool's earlier events of the pipeline were not applied (refused while
-- the mark was still set), which these must not overtake.
if redis.call('EXISTS', KEYS[5]) == 1 then
    return -1
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

local applied = tonumber(redis.call('HGET', KEYS[1], 'position') or '-1')
if applied < tonumber(ARGV[3]) then
    return -1
end
local before = nil
local count = 0
local i = 4
while i <= #ARGV do
    local position, operations = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
    i = i + 2
    if position > applied then
        if before == nil then
            before = share()
        end
        for k = i, i + 3 * (operations - 1), 3 do
            local operation, a, b = ARGV[k], ARGV[k + 1], ARGV[k + 2]
            if operation == 'incr' then
                redis.call('HINCRBY', KEYS[1], a, b)
            elseif operation == 'set' then
                redis.call('HSET', KEYS[1], a, b)
            elseif operation == 'pool' then
                redis.call('SADD', KEYS[3], ARGV[2])
            elseif operation == 'claim' then
                redis.call('HSET', KEYS[2], a, b)
                redis.call('SADD', ARGV[1] .. b, ARGV[2] .. ':' .. a)
            elseif operation == 'release' then
                local holder = redis.call('HGET', KEYS[2], a)
                if holder then
                    redis.call('SREM', ARGV[1] .. holder, ARGV[2] .. ':' .. a)
                    redis.call('HDEL', KEYS[2], a)
                end
            end
        end
        applied = position
        count = count + 1
    end
    i = i + 3 * operations
end
if count == 0 then
    return 0
end
local after = share()
local fields = {'capacity', 'pending', 'claimed', 'available', 'pools'}
for f = 1, 5 do
    if after[f] ~= before[f] then
        redis.call('HINCRBY', KEYS[4], fields[f], after[f] - before[f])
    end
end
redis.call('HSET', KEYS[1], 'position', applied)
return count
