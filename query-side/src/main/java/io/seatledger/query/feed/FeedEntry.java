package io.seatledger.query.feed;

import io.seatledger.messages.seatpool.PoolStatus;

/**
 * One message of an organization's live feed: what happened ({@code event}, the contract's names) at which
 * global event position, to which pool and seat, and the pool's counts right after it.
 */
public record FeedEntry(long position, String event, String poolId, String seatId, PoolStatus status, int capacity, int pending,
                        int claimed, Integer threshold) {

    public int available() {
        return Math.max(0, capacity - pending - claimed);
    }

    public int overAllocated() {
        return Math.max(0, pending + claimed - capacity);
    }
}
