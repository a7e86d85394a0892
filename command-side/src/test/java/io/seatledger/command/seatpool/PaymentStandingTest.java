package io.seatledger.command.seatpool;

import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SuspensionCause;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentStandingTest {

    static PaymentState refundedSoFar(long amount) {
        return new PaymentState("ch_1", 10_000, amount, "eur", null, null);
    }

    @Test
    void aRefundCountsOncePerIncrease() {
        PaymentStanding standing = new PaymentStanding(false, Set.of(), Map.of("ch_1", 2_000L));
        assertThat(standing.newlyRefunded(refundedSoFar(5_000))).isEqualTo(3_000);
        assertThat(standing.newlyRefunded(refundedSoFar(2_000))).as("reported again").isZero();
        assertThat(standing.newlyRefunded(refundedSoFar(1_000))).as("an older report").isZero();
        assertThat(standing.newlyRefunded(new PaymentState("ch_2", 10_000, 500, "eur", null, null))).isEqualTo(500);
    }

    @Test
    void aSuspensionLiftsWhenItsLastCauseGoes() {
        assertThat(new PaymentStanding(true, Set.of(), Map.of()).statusWithout(SuspensionCause.UNPAID, null)).isEqualTo(PoolStatus.ACTIVE);
        assertThat(new PaymentStanding(true, Set.of("dp_1"), Map.of()).statusWithout(SuspensionCause.UNPAID, null)).isEqualTo(PoolStatus.SUSPENDED);
        assertThat(new PaymentStanding(false, Set.of("dp_1"), Map.of()).statusWithout(SuspensionCause.DISPUTE, "dp_1")).isEqualTo(PoolStatus.ACTIVE);
        assertThat(new PaymentStanding(true, Set.of("dp_1"), Map.of()).statusWithout(SuspensionCause.DISPUTE, "dp_1")).isEqualTo(PoolStatus.SUSPENDED);
        assertThat(new PaymentStanding(false, Set.of("dp_1", "dp_2"), Map.of()).statusWithout(SuspensionCause.DISPUTE, "dp_1"))
                .isEqualTo(PoolStatus.SUSPENDED);
    }

    @Test
    void onlyAnOpenDisputeKeepsThePoolSuspended() {
        PaymentStanding standing = new PaymentStanding(false, Set.of("dp_1"), Map.of());
        assertThat(standing.isOpen("dp_1")).isTrue();
        assertThat(standing.isOpen("dp_2")).isFalse();
    }
}
