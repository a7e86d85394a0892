package io.seatledger.command.seatpool;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeatMetadataTest {

    static Map<String, String> entries(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "v"));
    }

    @Test
    void noneOrUpToTheLimitsIsValid() {
        assertThat(SeatMetadata.isValid(null)).isTrue();
        assertThat(SeatMetadata.isValid(entries(SeatMetadata.MAX_ENTRIES))).isTrue();
        assertThat(SeatMetadata.isValid(Map.of("k".repeat(SeatMetadata.MAX_KEY_LENGTH), "v".repeat(SeatMetadata.MAX_VALUE_LENGTH)))).isTrue();
        assertThat(SeatMetadata.isValid(Map.of("team", ""))).as("an empty value").isTrue();
    }

    @Test
    void beyondTheLimitsOrWithControlCharactersIsNot() {
        assertThat(SeatMetadata.isValid(entries(SeatMetadata.MAX_ENTRIES + 1))).isFalse();
        assertThat(SeatMetadata.isValid(Map.of("k".repeat(SeatMetadata.MAX_KEY_LENGTH + 1), "v"))).isFalse();
        assertThat(SeatMetadata.isValid(Map.of("k", "v".repeat(SeatMetadata.MAX_VALUE_LENGTH + 1)))).isFalse();
        assertThat(SeatMetadata.isValid(Map.of(" ", "v"))).as("a blank key").isFalse();
        assertThat(SeatMetadata.isValid(Map.of("k", "line\nbreak"))).isFalse();
        assertThat(SeatMetadata.isValid(Map.of("k\u0007", "v"))).isFalse();
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThat(SeatMetadata.isValid(nullValue)).isFalse();
    }

    @Test
    void storedMetadataIsAnUnmodifiableCopy() {
        Map<String, String> given = new HashMap<>(Map.of("team", "red"));
        Map<String, String> stored = SeatMetadata.stored(given);
        given.put("team", "blue");
        assertThat(stored).containsExactly(Map.entry("team", "red"));
        assertThatThrownBy(() -> stored.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(SeatMetadata.stored(null)).isEmpty();
    }
}
