package io.seatledger.api.consistency;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How long a read waits for a position: 5 s unless set, and only a sensible time is accepted. */
class ConsistencyPropertiesTest {

    @Test
    void fiveSecondsUnlessSet() {
        assertThat(new ConsistencyProperties(null).maxWait()).isEqualTo(Duration.ofSeconds(5));
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
