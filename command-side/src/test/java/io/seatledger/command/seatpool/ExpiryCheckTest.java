package io.seatledger.command.seatpool;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiryCheckTest {

    @Property
    void everyExpiryFallsInTheIntervalOfExactlyOneCheckWhichRunsAtOrAfterIt(@ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long expiresAtMillis,
                                                                            @ForAll @IntRange(min = 1, max = 3_600_000) int stepMillis) {
        SeatPolicy policy = new SeatPolicy(Duration.ofDays(7), 10, Duration.ofMillis(stepMillis));
        Instant expiresAt = Instant.ofEpochMilli(expiresAtMillis);
        ExpiryCheck check = ExpiryCheck.covering(expiresAt, policy);
        assertThat(check.from()).isBefore(expiresAt);
        assertThat(check.runsAt()).isAfterOrEqualTo(expiresAt);
        assertThat(Duration.between(check.from(), check.runsAt())).isEqualTo(Duration.ofMillis(stepMillis));
        assertThat(check.runsAt().toEpochMilli() % stepMillis).as("checks run on the interval's boundaries").isZero();
    }

    @Property(tries = 20)
    void anExpiryOnABoundaryIsCheckedRightThen(@ForAll @IntRange(min = 0, max = 1_000_000) int minutes) {
        Instant onBoundary = Instant.parse("2026-03-01T10:00:00Z").plus(Duration.ofMinutes(minutes));
        assertThat(ExpiryCheck.covering(onBoundary, SeatPolicy.DEFAULT))
                .isEqualTo(new ExpiryCheck(onBoundary.minus(Duration.ofMinutes(1)), onBoundary));
    }
}
