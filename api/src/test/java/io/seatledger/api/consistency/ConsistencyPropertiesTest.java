package io.seatledger.api.consistency;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How long a read waits for a position: only a sensible time is accepted (the default: SeatLedgerPropertiesTest). */
class ConsistencyPropertiesTest {

    @Test
    void aSensibleWaitIsKept() {
        assertThat(new ConsistencyProperties(Duration.ofMillis(250)).maxWait()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void nothingOutsideAMillisecondToAMinute() {
        for (Duration wrong : new Duration[]{Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(999_999), Duration.ofMinutes(1).plusMillis(1),
                Duration.ofDays(1)}) {
            assertThatThrownBy(() -> new ConsistencyProperties(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seatledger.consistency.max-wait");
        }
    }
}
