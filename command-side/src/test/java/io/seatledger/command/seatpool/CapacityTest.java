package io.seatledger.command.seatpool;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapacityTest {

    @Test
    void theFreeSeatsAreThoseNotInUseAndNoneWhenOverAllocated() {
        assertThat(new Capacity(10, 4).free()).isEqualTo(6);
        assertThat(new Capacity(3, 5).free()).isEqualTo(-2);
    }

    @Test
    void aResizeKeepsRoomForTheSeatsInUse() {
        assertThatCode(() -> new Capacity(10, 4).requireRoomFor(4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Capacity(10, 4).requireRoomFor(3))
                .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.RESIZE_BELOW_OCCUPIED))
                .hasMessageContaining("3 seats are fewer than the 4 pending and claimed ones");
    }

    @Test
    void aDecisionTakenEarlierNeverDropsBelowTheSeatsInUseNow() {
        assertThat(new Capacity(10, 4).keepingSeatsInUse(2)).isEqualTo(4);
        assertThat(new Capacity(10, 4).keepingSeatsInUse(7)).isEqualTo(7);
    }

    @Test
    void aForcedCapacityBelowTheSeatsInUseLeavesThePoolOverAllocated() {
        assertThat(new Capacity(10, 4).overAllocationAt(3)).isEqualTo(1);
        assertThat(new Capacity(10, 4).overAllocationAt(8)).isZero();
    }
}
