package io.seatledger.query.feed;

import io.seatledger.messages.seatpool.PoolStatus;

/**
 * One message of an organization's live feed: its number in the organization's feed ({@code seq}), what happened
 * ({@code event}, the contract's names) at which global event position, to which pool and seat, the seat's holder
 * as of that event if it had one, and the pool's counts right after it.
 */
public record FeedEntry(long seq, long position, String event, String poolId, String seatId, String holderUserId, PoolStatus status,
                        int capacity, int pending, int claimed, Integer threshold) {

    public int available() {
        return Math.max(0, capacity - pending - claimed);
    }

    public int overAllocated() {
        return Math.max(0, pending + claimed - capacity);
    }
}
