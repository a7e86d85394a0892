package io.seatledger.command.seatpool;

import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;

/**
 * What a purchase must state before a pool exists: a canonical id, a kind, at least one seat and a price; a
 * subscription renews at an interval, an order is paid once and has none.
 */
final class PurchaseRules {

    private PurchaseRules() {
    }

    /** Refuses the purchase with the first rule it breaks. */
    static void check(PurchaseSeatPool command) {
        if (!Uuids.isCanonical(command.poolId())) {
            throw Rejection.POOL_ID_NOT_UUID.exception();
        }
        if (command.kind() == null) {
            throw Rejection.KIND_REQUIRED.exception();
        }
        if (command.seats() < 1) {
            throw Rejection.NO_SEATS.exception();
        }
        if (command.pricing() == null) {
            throw Rejection.PRICING_REQUIRED.exception();
        }
        if (command.kind() == PoolKind.SUBSCRIPTION && command.interval() == null) {
            throw Rejection.SUBSCRIPTION_WITHOUT_INTERVAL.exception();
        }
        if (command.kind() == PoolKind.ORDER && command.interval() != null) {
            throw Rejection.ORDER_WITH_INTERVAL.exception();
        }
        StripeLinks.requirePlain(command.checkout());
    }
}
