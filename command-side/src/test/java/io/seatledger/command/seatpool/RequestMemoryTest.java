package io.seatledger.command.seatpool;

import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMemoryTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aRequestIsRememberedAndNoIdNeverIs() {
        RequestMemory memory = new RequestMemory();
        memory.remember("req-1", T0);
        memory.remember(null, T0);
        assertThat(memory.remembers("req-1")).isTrue();
        assertThat(memory.remembers("req-2")).isFalse();
        assertThat(memory.remembers(null)).isFalse();
        assertThat(memory.firstSeen()).containsOnlyKeys("req-1");
    }

    @Test
    void aRequestIsForgottenADayAfterItWasFirstSeen() {
        RequestMemory memory = new RequestMemory();
        memory.remember("req-1", T0);
        memory.remember("req-1", T0.plus(Duration.ofHours(23)));
        memory.remember("req-2", T0.plus(RequestMemory.SPAN));
        assertThat(memory.remembers("req-1")).as("exactly a day old").isTrue();
        memory.remember("req-3", T0.plus(RequestMemory.SPAN).plusMillis(1));
        assertThat(memory.remembers("req-1")).as("first seen more than a day ago, whatever came later").isFalse();
        assertThat(memory.remembers("req-2")).isTrue();
        assertThat(memory.remembers("req-3")).isTrue();
    }

    @Test
    void inASnapshotItIsThePlainMapOldestFirst() throws Exception {
        ObjectMapper json = Jackson3Serializer.builder().build().getObjectMapper();
        RequestMemory memory = new RequestMemory();
        memory.remember("req-b", T0);
        memory.remember("req-a", T0.plusSeconds(1));
        String written = json.writeValueAsString(memory);
        assertThat(written).isEqualTo("{\"req-b\":\"2026-03-01T10:00:00Z\",\"req-a\":\"2026-03-01T10:00:01Z\"}");
        RequestMemory read = json.readValue(written, RequestMemory.class);
        assertThat(read.firstSeen()).containsExactly(memory.firstSeen().entrySet().toArray(java.util.Map.Entry[]::new));
    }
}
