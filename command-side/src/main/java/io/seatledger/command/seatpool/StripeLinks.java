package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.seatpool.StripeSubscription;

/**
 * What a pool knows of its objects in Stripe. A pool without links is invoiced by its vendor; one with a
 * subscription item is billed by Stripe, which then decides its quantity, interval and periods. Stripe reports its
 * ids piecemeal (a checkout session first, the subscription later), so a report adds to what is known.
 */
final class StripeLinks {

    private StripeLinks() {
    }

    /** Whether Stripe bills the pool's seats (and so owns its quantity). */
    static boolean billsSeats(StripeSubscription links) {
        return links != null && links.subscriptionItemId() != null;
    }

    /** The links known after a report: each id as reported, or as known when the report leaves it out. */
    static StripeSubscription merged(StripeSubscription known, StripeSubscription reported) {
        if (reported == null) {
            return known;
        }
        if (known == null) {
            return reported;
        }
        return new StripeSubscription(
                firstKnown(reported.customerId(), known.customerId()),
                firstKnown(reported.subscriptionId(), known.subscriptionId()),
                firstKnown(reported.subscriptionItemId(), known.subscriptionItemId()),
                firstKnown(reported.checkoutSessionId(), known.checkoutSessionId()));
    }

    /** Stripe's ids are stored in events like any other text. */
    static void requirePlain(StripeSubscription links) {
        if (links != null) {
            PlainText.requirePlain("customerId", links.customerId());
            PlainText.requirePlain("subscriptionId", links.subscriptionId());
            PlainText.requirePlain("subscriptionItemId", links.subscriptionItemId());
            PlainText.requirePlain("checkoutSessionId", links.checkoutSessionId());
        }
    }

    private static String firstKnown(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }
}
