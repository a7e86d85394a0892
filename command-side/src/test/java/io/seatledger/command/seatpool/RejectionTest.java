package io.seatledger.command.seatpool;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SeatStatus;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class RejectionTest {

    @Test
    void aRejectionCarriesItsCodeWithItsMessage() {
        SeatLedgerException refused = Rejection.NO_SUCH_POOL.exception();
        assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refused.getMessage()).contains("no such seat pool");
    }

    @Test
    void detailsAreFilledInAndEnumsNamedInLowerCase() {
        assertThat(Rejection.POOL_IS.message(PoolStatus.AWAITING_PAYMENT)).isEqualTo("the pool is awaiting_payment");
        assertThat(Rejection.POOL_IS.message(PoolStatus.CANCELED)).isEqualTo("the pool is canceled");
        assertThat(Rejection.SEAT_ALREADY_ENDED.message(SeatStatus.REVOKED)).isEqualTo("the seat is already revoked");
        assertThat(Rejection.RESIZE_BELOW_OCCUPIED.message(3, 5))
                .isEqualTo("3 seats are fewer than the 5 pending and claimed ones; revoke seats first");
        assertThat(Rejection.BULK_SIZE.message(10_000)).as("numbers as digits, without grouping")
                .isEqualTo("a bulk assignment holds 1 to 10000 seats");
    }

    @Test
    void aMalformedSeatIsToldTheLimitsItBroke() {
        assertThat(Rejection.SEAT_MALFORMED.message()).contains("at most 20 metadata entries (keys up to 40 characters, values up to 500)")
                .contains("(1 to 255 characters, no control characters)");
    }

    @Test
    void everyMessageWithoutDetailsReadsAsWritten() {
        assertThat(Arrays.stream(Rejection.values()).filter(rejection -> !rejection.message().contains("%")))
                .allSatisfy(rejection -> assertThat(rejection.exception().getMessage()).contains(rejection.message()));
    }
}
