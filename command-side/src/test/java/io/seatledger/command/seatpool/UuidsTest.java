package io.seatledger.command.seatpool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UuidsTest {

    @Test
    void onlyTheCanonicalSpellingOfAUuidIsAnId() {
        assertThat(Uuids.isCanonical("5f0c6a1e-3d1b-4f67-9a55-6a2c1d0e9b01")).isTrue();
        assertThat(Uuids.isCanonical("5F0C6A1E-3D1B-4F67-9A55-6A2C1D0E9B01")).as("upper case is read the same").isTrue();
        assertThat(Uuids.isCanonical("1-1-1-1-1")).as("a short form UUID.fromString accepts").isFalse();
        assertThat(Uuids.isCanonical("not-a-uuid")).isFalse();
        assertThat(Uuids.isCanonical("")).isFalse();
        assertThat(Uuids.isCanonical(null)).isFalse();
    }
}
