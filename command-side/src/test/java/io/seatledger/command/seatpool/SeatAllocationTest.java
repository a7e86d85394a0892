package io.seatledger.command.seatpool;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.seatledger.command.seatpool.SeatIndexTest.EXPIRY;
import static io.seatledger.command.seatpool.SeatIndexTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

class SeatAllocationTest {

    static NewSeat invitation(String email) {
        return new NewSeat(UUID.randomUUID().toString(), email, false, null, Map.of());
    }

    static NewSeat claimedAtOnce(String email, String holder) {
        return new NewSeat(UUID.randomUUID().toString(), email, true, holder, Map.of());
    }

    private final Roster roster = new Roster();

    @Test
    void theFirstBrokenRuleIsTheAnswerInTheirOrder() {
        String takenId = UUID.randomUUID().toString();
        roster.put(Seat.pending(takenId, "taken@example.com", "hash", EXPIRY, T0, Map.of()));
        SeatAllocation full = new SeatAllocation(roster, new Capacity(1, 1));
        assertThat(full.admit(new NewSeat(takenId, "not an address", false, null, Map.of()))).isEqualTo(Rejection.SEAT_MALFORMED);
        assertThat(full.admit(new NewSeat(takenId, "taken@example.com", false, null, Map.of()))).isEqualTo(Rejection.SEAT_ID_TAKEN);
        assertThat(full.admit(invitation("taken@example.com"))).isEqualTo(Rejection.ADDRESS_OR_HOLDER_TAKEN);
        assertThat(full.admit(invitation("new@example.com"))).isEqualTo(Rejection.POOL_FULL);
    }

    @Test
    void aHolderWithAClaimedSeatGetsNoSecondOne() {
        roster.put(Seat.pending(UUID.randomUUID().toString(), "a@example.com", "hash", EXPIRY, T0, Map.of()).claimedBy("user-1", T0));
        SeatAllocation allocation = new SeatAllocation(roster, new Capacity(5, 1));
        assertThat(allocation.admit(claimedAtOnce("b@example.com", "user-1"))).isEqualTo(Rejection.ADDRESS_OR_HOLDER_TAKEN);
        assertThat(allocation.admit(claimedAtOnce("b@example.com", "user-2"))).isNull();
    }

    @Test
    void seatsAdmittedInTheSameCommandCountAsTaken() {
        SeatAllocation allocation = new SeatAllocation(roster, new Capacity(3, 0));
        assertThat(allocation.admit(claimedAtOnce("a@example.com", "user-1"))).isNull();
        assertThat(allocation.admit(invitation("A@example.com"))).as("the same address").isEqualTo(Rejection.ADDRESS_OR_HOLDER_TAKEN);
        assertThat(allocation.admit(claimedAtOnce("b@example.com", "user-1"))).as("the same holder").isEqualTo(Rejection.ADDRESS_OR_HOLDER_TAKEN);
        assertThat(allocation.admit(invitation("b@example.com"))).isNull();
        assertThat(allocation.admit(invitation("c@example.com"))).isNull();
        assertThat(allocation.admit(invitation("d@example.com"))).isEqualTo(Rejection.POOL_FULL);
    }

    @Test
    void aRefusedSeatTakesNothing() {
        SeatAllocation allocation = new SeatAllocation(roster, new Capacity(1, 0));
        assertThat(allocation.admit(new NewSeat("not-a-uuid", "a@example.com", false, null, Map.of()))).isEqualTo(Rejection.SEAT_MALFORMED);
        assertThat(allocation.admit(invitation("a@example.com"))).as("neither the address nor the free seat").isNull();
    }
}
