package io.seatledger.api.config.writemodel;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The system clock in whole microseconds, PostgreSQL's precision: times in events are then exactly those the read
 * models store, so an answer built from the write model shows the same times as a read. (The JDK's
 * {@code Clock.tick(clock, 1 µs)} would do the same, but its {@code millis()} divides by zero for a tick below a
 * millisecond on JDK 17, and Stripe's signature check, among others, asks for millis.)
 */
public final class MicrosecondClock extends Clock {

    private final Clock system;

    public MicrosecondClock(Clock system) {
        this.system = system;
    }

    public static MicrosecondClock utc() {
        return new MicrosecondClock(Clock.systemUTC());
    }

    @Override
    public ZoneId getZone() {
        return system.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MicrosecondClock(system.withZone(zone));
    }

    @Override
    public Instant instant() {
        return system.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public long millis() {
        return system.millis();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MicrosecondClock clock && clock.system.equals(system);
    }

    @Override
    public int hashCode() {
        return system.hashCode() ^ ZoneOffset.UTC.hashCode();
    }

    @Override
    public String toString() {
        return "MicrosecondClock[" + system + "]";
    }
}
