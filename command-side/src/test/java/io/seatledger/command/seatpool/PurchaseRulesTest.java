package io.seatledger.command.seatpool;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.StripeSubscription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurchaseRulesTest {

    static final String POOL = "5f0c6a1e-3d1b-4f67-9a55-6a2c1d0e9b01";
    static final Pricing PRICING = Pricing.perSeat("eur", 1000);

    static void refused(PurchaseSeatPool purchase, Rejection expected) {
        assertThatThrownBy(() -> PurchaseRules.check(purchase)).isInstanceOfSatisfying(SeatLedgerException.class, refusal -> {
            assertThat(refusal.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(refusal.getMessage()).contains(expected.message());
        });
    }

    @Test
    void aSubscriptionRenewsAtAnIntervalAndAnOrderHasNone() {
        assertThatCode(() -> PurchaseRules.check(new PurchaseSeatPool(POOL, "org", PoolKind.SUBSCRIPTION, 1, PRICING, BillingInterval.YEAR, null)))
                .doesNotThrowAnyException();
        assertThatCode(() -> PurchaseRules.check(new PurchaseSeatPool(POOL, "org", PoolKind.ORDER, 1, PRICING, null, null)))
                .doesNotThrowAnyException();
        refused(new PurchaseSeatPool(POOL, "org", PoolKind.SUBSCRIPTION, 1, PRICING, null, null), Rejection.SUBSCRIPTION_WITHOUT_INTERVAL);
        refused(new PurchaseSeatPool(POOL, "org", PoolKind.ORDER, 1, PRICING, BillingInterval.MONTH, null), Rejection.ORDER_WITH_INTERVAL);
    }

    @Test
    void eachMissingTermIsNamed() {
        refused(new PurchaseSeatPool("pool-1", "org", PoolKind.ORDER, 1, PRICING, null, null), Rejection.POOL_ID_NOT_UUID);
        refused(new PurchaseSeatPool(POOL, "org", null, 1, PRICING, null, null), Rejection.KIND_REQUIRED);
        refused(new PurchaseSeatPool(POOL, "org", PoolKind.ORDER, 0, PRICING, null, null), Rejection.NO_SEATS);
        refused(new PurchaseSeatPool(POOL, "org", PoolKind.ORDER, 1, null, null, null), Rejection.PRICING_REQUIRED);
    }

    @Test
    void aCheckoutsIdsMustBePlainText() {
        assertThatThrownBy(() -> PurchaseRules.check(new PurchaseSeatPool(POOL, "org", PoolKind.ORDER, 1, PRICING, null,
                new StripeSubscription(null, null, null, "cs\u0000")))).hasMessageContaining("checkoutSessionId");
    }
}
