package io.seatledger.client;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds which claimed seat in which pool, and whether each pool's seats entitle: the memory of an
 * {@link EntitlementCache}. One thread changes it (the stream's reader); any thread asks {@link #answer(String)},
 * which allocates nothing: a map lookup, then a walk over the user's few seats reading each pool's flag.
 * At most {@code maxUsers} users are kept; a holder who would exceed that is not remembered and the holdings are
 * marked {@link #overflowed() overflowed}, after which users it does not know are "unknown" rather than "not entitled".
 */
final class Holdings {

    /** What memory says about a user. */
    static final byte ENTITLED = 1;
    static final byte NOT_ENTITLED = 2;
    /** Memory cannot tell: ask the service (a pool past due whose grace may have ended, or a user not kept). */
    static final byte UNKNOWN = 3;

    /** A pool and whether its claimed seats entitle: yes, no, or ask (past due, grace unknown to the stream). */
    static final class Pool {
        volatile byte entitles;

        void status(String status) {
            entitles = switch (status == null ? "" : status) {
                case "active" -> ENTITLED;
                case "past_due" -> UNKNOWN;
                default -> NOT_ENTITLED;
            };
        }
    }

    /** One claimed seat of a user. */
    record Held(String seatId, Pool pool) {
    }

    private static final Held[] NONE = new Held[0];

    private final ConcurrentHashMap<String, Held[]> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Pool> pools = new ConcurrentHashMap<>();
    /** Seat id to holder, for the users kept; only the writer thread touches it. */
    private final Map<String, String> holderOf = new HashMap<>();
    private final int maxUsers;
    private volatile boolean overflowed;

    Holdings(int maxUsers) {
        if (maxUsers < 1) {
            throw new IllegalArgumentException("maxUsers must be at least 1");
        }
        this.maxUsers = maxUsers;
    }

    byte answer(String userId) {
        Held[] seats = users.get(userId);
        if (seats == null) {
            return overflowed ? UNKNOWN : NOT_ENTITLED;
        }
        byte answer = NOT_ENTITLED;
        for (Held seat : seats) {
            byte entitles = seat.pool.entitles;
            if (entitles == ENTITLED) {
                return ENTITLED;
            }
            if (entitles == UNKNOWN) {
                answer = UNKNOWN;
            }
        }
        return answer;
    }

    void poolStatus(String poolId, String status) {
        pool(poolId).status(status);
    }

    /** The user holds this claimed seat of this pool. */
    void claimed(String poolId, String seatId, String userId) {
        String previous = holderOf.get(seatId);
        if (userId.equals(previous)) {
            return;
        }
        if (previous != null) {
            ended(seatId);
        }
        Held[] seats = users.get(userId);
        if (seats == null) {
            if (users.size() >= maxUsers) {
                overflowed = true;
                return;
            }
            seats = NONE;
        }
        Held[] more = java.util.Arrays.copyOf(seats, seats.length + 1);
        more[seats.length] = new Held(seatId, pool(poolId));
        users.put(userId, more);
        holderOf.put(seatId, userId);
    }

    /** The seat no longer entitles anyone (revoked, expired, transferred away). */
    void ended(String seatId) {
        String userId = holderOf.remove(seatId);
        if (userId == null) {
            return;
        }
        Held[] seats = users.get(userId);
        if (seats == null) {
            return;
        }
        if (seats.length == 1) {
            users.remove(userId);
            return;
        }
        Held[] fewer = new Held[seats.length - 1];
        int kept = 0;
        for (Held seat : seats) {
            if (!seat.seatId.equals(seatId)) {
                if (kept == fewer.length) {
                    return;
                }
                fewer[kept++] = seat;
            }
        }
        users.put(userId, fewer);
    }

    boolean overflowed() {
        return overflowed;
    }

    int users() {
        return users.size();
    }

    private Pool pool(String poolId) {
        return pools.computeIfAbsent(poolId, id -> new Pool());
    }
}
