package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.ProviderState;

/**
 * What the billing integration must send when it reports Stripe's view of a pool or of one of its payments: enough
 * to act on, and nothing that could not be stored in an event.
 */
final class ProviderReports {

    private ProviderReports() {
    }

    static void requireValid(ProviderState state) {
        if (state == null || state.payment() == null) {
            throw Rejection.PROVIDER_STATE_REQUIRED.exception();
        }
        StripeLinks.requirePlain(state.stripe());
    }

    static void requireValid(PaymentState payment) {
        if (payment == null || payment.chargeId() == null || payment.chargeId().isBlank() || payment.amount() < 0 || payment.amountRefunded() < 0
                || (payment.disputeId() == null) != (payment.dispute() == null)) {
            throw Rejection.PAYMENT_MALFORMED.exception();
        }
        PlainText.requirePlain("chargeId", payment.chargeId());
        PlainText.requirePlain("disputeId", payment.disputeId());
        PlainText.requirePlain("currency", payment.currency());
    }
}
