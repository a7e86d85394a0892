package io.seatledger.command.seatpool;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.seatpool.StripeSubscription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripeLinksTest {

    static final StripeSubscription CHECKOUT = new StripeSubscription(null, null, null, "cs_1");

    @Test
    void onlyASubscriptionItemMakesStripeBillTheSeats() {
        assertThat(StripeLinks.billsSeats(null)).isFalse();
        assertThat(StripeLinks.billsSeats(CHECKOUT)).isFalse();
        assertThat(StripeLinks.billsSeats(new StripeSubscription("cus_1", "sub_1", "si_1", "cs_1"))).isTrue();
    }

    @Test
    void aReportAddsToWhatIsKnownAndReplacesWhatItNames() {
        StripeSubscription reported = new StripeSubscription("cus_1", "sub_1", "si_1", null);
        assertThat(StripeLinks.merged(CHECKOUT, reported)).isEqualTo(new StripeSubscription("cus_1", "sub_1", "si_1", "cs_1"));
        assertThat(StripeLinks.merged(CHECKOUT, new StripeSubscription(null, null, null, "cs_2")).checkoutSessionId()).isEqualTo("cs_2");
        assertThat(StripeLinks.merged(CHECKOUT, null)).isSameAs(CHECKOUT);
        assertThat(StripeLinks.merged(null, reported)).isSameAs(reported);
    }

    @Test
    void idsWithControlCharactersAreRefused() {
        assertThatCode(() -> StripeLinks.requirePlain(null)).doesNotThrowAnyException();
        assertThatCode(() -> StripeLinks.requirePlain(CHECKOUT)).doesNotThrowAnyException();
        assertThatThrownBy(() -> StripeLinks.requirePlain(new StripeSubscription("cus\n1", null, null, null)))
                .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED))
                .hasMessageContaining("customerId");
    }
}
