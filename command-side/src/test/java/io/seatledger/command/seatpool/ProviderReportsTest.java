package io.seatledger.command.seatpool;

import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.PaymentState.DisputeStatus;
import io.seatledger.messages.seatpool.ProviderPayment;
import io.seatledger.messages.seatpool.ProviderState;
import io.seatledger.messages.seatpool.StripeSubscription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderReportsTest {

    @Test
    void aProviderStateNeedsItsPaymentAndPlainIds() {
        assertThatCode(() -> ProviderReports.requireValid(new ProviderState(ProviderPayment.PAID, null, 3, null, null, false))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ProviderReports.requireValid((ProviderState) null)).hasMessageContaining(Rejection.PROVIDER_STATE_REQUIRED.message());
        assertThatThrownBy(() -> ProviderReports.requireValid(new ProviderState(null, null, 3, null, null, false)))
                .hasMessageContaining(Rejection.PROVIDER_STATE_REQUIRED.message());
        assertThatThrownBy(() -> ProviderReports.requireValid(new ProviderState(ProviderPayment.PAID, new StripeSubscription(null, "sub\r", null, null),
                3, null, null, false))).hasMessageContaining("subscriptionId");
    }

    @Test
    void aPaymentNeedsItsChargeAmountsAndADisputesIdWithItsStatus() {
        assertThatCode(() -> ProviderReports.requireValid(new PaymentState("ch_1", 100, 0, "eur", null, null))).doesNotThrowAnyException();
        assertThatCode(() -> ProviderReports.requireValid(new PaymentState("ch_1", 100, 0, null, "dp_1", DisputeStatus.OPEN))).doesNotThrowAnyException();
        for (PaymentState malformed : new PaymentState[] {null, new PaymentState(" ", 100, 0, "eur", null, null),
                new PaymentState("ch_1", -1, 0, "eur", null, null), new PaymentState("ch_1", 100, -1, "eur", null, null),
                new PaymentState("ch_1", 100, 0, "eur", "dp_1", null), new PaymentState("ch_1", 100, 0, "eur", null, DisputeStatus.WON)}) {
            assertThatThrownBy(() -> ProviderReports.requireValid(malformed)).hasMessageContaining(Rejection.PAYMENT_MALFORMED.message());
        }
        assertThatThrownBy(() -> ProviderReports.requireValid(new PaymentState("ch_1", 100, 0, "eu\tr", null, null))).hasMessageContaining("currency");
    }
}
