package io.seatledger.api.config.writemodel;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class MicrosecondClockTest {

    private static final Instant NOW = Instant.parse("2026-12-02T06:45:35.123456789Z");

    @Test
    void instantsAreCutToWholeMicroseconds() {
        Clock clock = new MicrosecondClock(Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-02T06:45:35.123456Z"));
    }

    @Test
    void millisAreAnsweredWhereTheJdksTickClockDividesByZero() {
        Clock clock = new MicrosecondClock(Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(clock.millis()).isEqualTo(NOW.toEpochMilli());
        assertThat(MicrosecondClock.utc().millis()).isPositive();
        assertThat(clock.withZone(ZoneOffset.ofHours(2)).instant()).isEqualTo(clock.instant());
    }
}
