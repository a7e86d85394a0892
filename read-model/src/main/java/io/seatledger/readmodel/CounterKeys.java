package io.seatledger.readmodel;

/**
 * Redis keys of the counters. Every key of an organization carries its id as a hash tag, so all of a
 * tenant's keys live in one cluster slot and one Lua script may touch them together.
 */
public final class CounterKeys {

    public static final String PREFIX = "seatledger:";

    private CounterKeys() {
    }

    /** Hash: capacity, pending, claimed, status, graceExpired, position. */
    public static String pool(String orgId, String poolId) {
        return PREFIX + "{" + orgId + "}:pool:" + poolId;
    }

    /** Hash: seatId → holder user id, for the pool's claimed seats. */
    public static String holders(String orgId, String poolId) {
        return pool(orgId, poolId) + ":holders";
    }

    /** Set: the organization's pool ids. */
    public static String pools(String orgId) {
        return PREFIX + "{" + orgId + "}:pools";
    }

    /** Hash: capacity, pending, claimed, available, pools, summed over the organization's pools in service. */
    public static String usage(String orgId) {
        return PREFIX + "{" + orgId + "}:usage";
    }

    /**
     * Set once the counters are complete (built by the projection from the start, or rebuilt from
     * PostgreSQL); its absence (a flushed or new Redis) sends readers to PostgreSQL until a rebuild ends.
     */
    public static final String COMPLETE = PREFIX + "complete";

    /**
     * Present while one instance rebuilds the counters from PostgreSQL: every instance's counter writes are
     * refused meanwhile (the apply script checks it), so nothing is written beside the copy.
     */
    public static final String REBUILDING = PREFIX + "rebuilding";

    /** Prefix of the per-user sets of {@code poolId:seatId} the user holds claimed. */
    public static String holderSetPrefix(String orgId) {
        return PREFIX + "{" + orgId + "}:holder:";
    }

    public static String holderSet(String orgId, String userId) {
        return holderSetPrefix(orgId) + userId;
    }

    /** Hash: a token bucket (tokens, at) of the organization's request rate; not a counter, never rebuilt. */
    public static String rateLimit(String orgId, String bucket) {
        return PREFIX + "{" + orgId + "}:ratelimit:" + bucket;
    }
}
