package io.seatledger.projections.rebuild;

import java.time.Instant;

/** Where a rebuild stands: built up to {@code position} of {@code headPosition}; swapped in when {@code phase} is DONE. */
public record RebuildProgress(String processor, Phase phase, long position, long headPosition, Instant startedAt, Instant finishedAt,
                              String failure) {

    public enum Phase { BUILDING, SWAPPING, DONE, FAILED }

    /** Under way: building the shadow tables or swapping them in. */
    public boolean running() {
        return phase == Phase.BUILDING || phase == Phase.SWAPPING;
    }

    public long lag() {
        return Math.max(0, headPosition - position);
    }
}
