package io.seatledger.command.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock tests move by hand: stopped at an instant ({@link #set}), or running with real time shifted by an
 * offset ({@link #shift}) when real time must keep passing, as for deadlines the database runs.
 */
public final class TestClock extends Clock {

    private volatile Instant fixed;
    private volatile Duration offset = Duration.ZERO;

    public TestClock(Instant fixed) {
        this.fixed = fixed;
    }

    /** Real time, until a test shifts or sets it. */
    public static TestClock realTime() {
        return new TestClock(null);
    }

    public void set(Instant instant) {
        fixed = instant;
    }

    public void shift(Duration by) {
        fixed = null;
        offset = by;
    }

    public void reset() {
        fixed = null;
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant stopped = fixed;
        // whole microseconds, as the service's clock (PostgreSQL's precision)
        return stopped != null ? stopped : Instant.now().plus(offset).truncatedTo(ChronoUnit.MICROS);
    }
}
