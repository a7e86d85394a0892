package io.seatledger.readmodel;

/**
 * Which pools are in service: active, or past due within their grace period. Their claimed seats entitle
 * their holders, and only they count in an organization's usage. Written once for each store that
 * applies it (PostgreSQL here; the Redis scripts test the same two fields; in Java it is
 * {@code PoolStatus.inService} in messages).
 */
public final class PoolsInService {

    /** The condition on a {@code read_model.seat_pools} row (columns {@code status}, {@code grace_expired}). */
    public static final String SQL = sql("");

    /** The same condition on the pool row of {@code alias}, as in {@code sql("p.")}. */
    public static String sql(String alias) {
        return "(%1$sstatus = 'ACTIVE' or (%1$sstatus = 'PAST_DUE' and not %1$sgrace_expired))".formatted(alias);
    }

    private PoolsInService() {
    }
}
