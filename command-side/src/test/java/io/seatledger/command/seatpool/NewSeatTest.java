package io.seatledger.command.seatpool;

import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.SeatRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NewSeatTest {

    static final String SEAT = "0a6f1c8e-6a4b-4d4e-8f55-1b2c3d4e5f01";

    @Test
    void anInvitationNamesNoHolderAndASeatClaimedAtOnceNamesOne() {
        assertThat(new NewSeat(SEAT, "a@example.com", false, null, Map.of()).isWellFormed()).isTrue();
        assertThat(new NewSeat(SEAT, "a@example.com", false, "user-1", Map.of()).isWellFormed()).isFalse();
        assertThat(new NewSeat(SEAT, "a@example.com", true, "user-1", null).isWellFormed()).isTrue();
        assertThat(new NewSeat(SEAT, "a@example.com", true, null, Map.of()).isWellFormed()).isFalse();
    }

    @Test
    void aSeatNeedsAnAddressACanonicalIdAndMetadataWithinItsLimits() {
        assertThat(new NewSeat(SEAT, "not an address", false, null, Map.of()).isWellFormed()).isFalse();
        assertThat(new NewSeat("seat-1", "a@example.com", false, null, Map.of()).isWellFormed()).isFalse();
        assertThat(new NewSeat(SEAT, "a@example.com", false, null, Map.of("k", "bell\u0007")).isWellFormed()).isFalse();
    }

    @Test
    void aSingleAndABulkAssignmentAskForTheSameSeat() {
        Map<String, String> metadata = Map.of("team", "red");
        assertThat(NewSeat.of(new AssignSeat("pool", "org", SEAT, "a@example.com", true, "user-1", metadata)))
                .isEqualTo(NewSeat.of(new SeatRequest(SEAT, "a@example.com", true, "user-1", metadata)))
                .isEqualTo(new NewSeat(SEAT, "a@example.com", true, "user-1", metadata));
        assertThat(new NewSeat(SEAT, "Ann@Example.com", false, null, null).subject())
                .isEqualTo(new NewSeat(SEAT, "ann@example.com", false, null, null).subject());
    }
}
