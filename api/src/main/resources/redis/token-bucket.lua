-- A token bucket per key: KEYS[1]; ARGV = rate (tokens per second), burst (capacity), wanted (tokens), least
-- (tokens that must be there to grant any; 1 when absent). Time is Redis's own, so every instance shares one
-- clock. Grants as many whole tokens as are there, up to wanted, if at least least are. Returns {granted (0 or
-- least to wanted), milliseconds until least tokens are back (0 when granted)}.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local least = tonumber(ARGV[4]) or 1
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
    tokens = burst
    at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local granted = 0
local wait = 0
if math.floor(tokens) >= least then
    granted = math.min(wanted, math.floor(tokens))
    tokens = tokens - granted
else
    wait = math.ceil((least - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {granted, wait}
