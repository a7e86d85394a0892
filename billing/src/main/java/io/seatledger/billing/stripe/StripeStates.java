package io.seatledger.billing.stripe;

import com.stripe.model.Charge;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.ProviderPayment;
import io.seatledger.messages.seatpool.ProviderState;
import io.seatledger.messages.seatpool.StripeSubscription;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads Stripe objects as the provider state a pool follows. Pure translation: what it means for a pool is the pool's to decide. */
public final class StripeStates {

    private StripeStates() {
    }

    /** The pool a Stripe object pays for, named in its metadata when seat-ledger opened the checkout. */
    public record PoolRef(String orgId, String poolId) {
    }

    public static Optional<PoolRef> poolOf(Map<String, String> metadata) {
        if (metadata == null || metadata.get(StripeGateway.ORG_ID) == null || metadata.get(StripeGateway.POOL_ID) == null) {
            return Optional.empty();
        }
        return Optional.of(new PoolRef(metadata.get(StripeGateway.ORG_ID), metadata.get(StripeGateway.POOL_ID)));
    }

    public static ProviderPayment payment(String subscriptionStatus) {
        return switch (subscriptionStatus == null ? "" : subscriptionStatus) {
            case "active", "trialing" -> ProviderPayment.PAID;
            case "past_due", "paused" -> ProviderPayment.PAST_DUE;
            case "unpaid" -> ProviderPayment.UNPAID;
            case "canceled", "incomplete_expired" -> ProviderPayment.ENDED;
            default -> ProviderPayment.PENDING;
        };
    }

    /**
     * Where a Stripe dispute stands: open while the bank decides (an inquiry or a chargeback), won also when an inquiry
     * closed or the dispute was prevented; null for a status this code does not know, which changes nothing.
     */
    public static PaymentState.DisputeStatus dispute(String disputeStatus) {
        return switch (disputeStatus == null ? "" : disputeStatus) {
            case "warning_needs_response", "warning_under_review", "needs_response", "under_review" -> PaymentState.DisputeStatus.OPEN;
            case "won", "warning_closed", "prevented" -> PaymentState.DisputeStatus.WON;
            case "lost" -> PaymentState.DisputeStatus.LOST;
            default -> null;
        };
    }

    /** A charge as the pool's payment: its amount and what was refunded of it, with the dispute the notification was about, if any. */
    public static PaymentState payment(Charge charge, String disputeId, PaymentState.DisputeStatus dispute) {
        return new PaymentState(charge.getId(), orZero(charge.getAmount()), orZero(charge.getAmountRefunded()), charge.getCurrency(),
                dispute == null ? null : disputeId, dispute);
    }

    private static long orZero(Long amount) {
        return amount == null ? 0 : amount;
    }

    /** A subscription's state; {@code itemId} picks the item seat-ledger bills (the first one when unknown). */
    public static ProviderState of(Subscription subscription, String itemId, String checkoutSessionId) {
        SubscriptionItem item = itemOf(subscription, itemId);
        Integer quantity = item == null || item.getQuantity() == null ? null : item.getQuantity().intValue();
        BillingPeriod period = item == null || item.getCurrentPeriodStart() == null || item.getCurrentPeriodEnd() == null ? null
                : new BillingPeriod(Instant.ofEpochSecond(item.getCurrentPeriodStart()), Instant.ofEpochSecond(item.getCurrentPeriodEnd()));
        BillingInterval interval = item == null || item.getPrice() == null || item.getPrice().getRecurring() == null ? null
                : BillingInterval.valueOf(item.getPrice().getRecurring().getInterval().toUpperCase(Locale.ROOT));
        StripeSubscription links = new StripeSubscription(subscription.getCustomer(), subscription.getId(), item == null ? null : item.getId(),
                checkoutSessionId);
        return new ProviderState(payment(subscription.getStatus()), links, quantity, interval, period,
                Boolean.TRUE.equals(subscription.getCancelAtPeriodEnd()));
    }

    /** A one-off order's state from its checkout session; {@code paymentFailed} when Stripe told that the delayed payment failed. */
    public static ProviderState ofOrder(Session session, boolean paymentFailed) {
        ProviderPayment payment;
        if ("expired".equals(session.getStatus()) || paymentFailed) {
            payment = ProviderPayment.ENDED;
        } else if ("complete".equals(session.getStatus()) && !"unpaid".equals(session.getPaymentStatus())) {
            payment = ProviderPayment.PAID;
        } else {
            payment = ProviderPayment.PENDING;
        }
        return new ProviderState(payment, new StripeSubscription(session.getCustomer(), null, null, session.getId()), null, null, null, false);
    }

    /** A subscription checkout that expired before it was paid. */
    public static ProviderState expiredCheckout(Session session) {
        return new ProviderState(ProviderPayment.ENDED, new StripeSubscription(session.getCustomer(), null, null, session.getId()), null, null, null, false);
    }

    private static SubscriptionItem itemOf(Subscription subscription, String itemId) {
        if (subscription.getItems() == null || subscription.getItems().getData() == null || subscription.getItems().getData().isEmpty()) {
            return null;
        }
        return subscription.getItems().getData().stream().filter(item -> item.getId().equals(itemId)).findFirst()
                .orElse(subscription.getItems().getData().get(0));
    }
}
