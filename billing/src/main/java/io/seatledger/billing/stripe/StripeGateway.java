package io.seatledger.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionSchedule;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceRetrieveParams;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionItemUpdateParams;
import com.stripe.param.SubscriptionListParams;
import com.stripe.param.SubscriptionScheduleCreateParams;
import com.stripe.param.SubscriptionScheduleUpdateParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.seatledger.messages.pricing.PriceTier;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.pricing.TiersMode;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.ProrationBehavior;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Every call seat-ledger makes to Stripe, through stripe-java's {@link StripeClient}. Each call that
 * changes something carries an idempotency key derived from what caused it, so a retry after a crash or
 * timeout never changes Stripe twice. Failures come out as {@link StripeFailure}.
 */
public class StripeGateway {

    /** Metadata keys naming the pool a Stripe object pays for. */
    public static final String ORG_ID = "seatledger_org_id";
    public static final String POOL_ID = "seatledger_pool_id";

    private final StripeClient client;

    public StripeGateway(StripeClient client) {
        this.client = client;
    }

    /** A price for the pool's pricing: per unit for one tier, else tiered in the pricing's mode. */
    public String createPrice(Pricing pricing, PoolKind kind, BillingInterval interval, String productName, String idempotencyKey) {
        PriceCreateParams.Builder price = PriceCreateParams.builder()
                .setCurrency(pricing.currency())
                .setProductData(PriceCreateParams.ProductData.builder().setName(productName).build());
        if (kind == PoolKind.SUBSCRIPTION) {
            price.setRecurring(PriceCreateParams.Recurring.builder()
                    .setInterval(interval == BillingInterval.YEAR ? PriceCreateParams.Recurring.Interval.YEAR : PriceCreateParams.Recurring.Interval.MONTH)
                    .build());
        }
        if (pricing.tiers().size() == 1 && pricing.tiers().get(0).flatAmount() == 0) {
            price.setUnitAmount(pricing.tiers().get(0).unitAmount());
        } else {
            price.setBillingScheme(PriceCreateParams.BillingScheme.TIERED)
                    .setTiersMode(pricing.tiersMode() == TiersMode.GRADUATED ? PriceCreateParams.TiersMode.GRADUATED : PriceCreateParams.TiersMode.VOLUME);
            for (PriceTier tier : pricing.tiers()) {
                PriceCreateParams.Tier.Builder stripeTier = PriceCreateParams.Tier.builder().setUnitAmount(tier.unitAmount());
                if (tier.flatAmount() > 0) {
                    stripeTier.setFlatAmount(tier.flatAmount());
                }
                if (tier.upTo() == null) {
                    stripeTier.setUpTo(PriceCreateParams.Tier.UpTo.INF);
                } else {
                    stripeTier.setUpTo(tier.upTo());
                }
                price.addTier(stripeTier.build());
            }
        }
        return call("create a price", () -> client.v1().prices().create(price.build(), keyed(idempotencyKey))).getId();
    }

    /** An existing Stripe price as seat-ledger pricing, with its interval (null for a one-time price). */
    public StripePrice price(String priceId) {
        Price price = call("read the price", () -> client.v1().prices().retrieve(priceId,
                PriceRetrieveParams.builder().addExpand("tiers").build(), RequestOptions.getDefault()));
        List<PriceTier> tiers = new ArrayList<>();
        TiersMode mode = TiersMode.VOLUME;
        if ("tiered".equals(price.getBillingScheme()) && price.getTiers() != null) {
            mode = "graduated".equals(price.getTiersMode()) ? TiersMode.GRADUATED : TiersMode.VOLUME;
            for (Price.Tier tier : price.getTiers()) {
                tiers.add(new PriceTier(tier.getUpTo(), orZero(tier.getUnitAmount()), orZero(tier.getFlatAmount())));
            }
        } else {
            tiers.add(new PriceTier(null, orZero(price.getUnitAmount()), 0));
        }
        BillingInterval interval = price.getRecurring() == null ? null
                : BillingInterval.valueOf(price.getRecurring().getInterval().toUpperCase(Locale.ROOT));
        return new StripePrice(price.getId(), new Pricing(price.getCurrency(), mode, tiers), interval);
    }

    public record StripePrice(String id, Pricing pricing, BillingInterval interval) {
    }

    /** A Checkout Session buying {@code seats} of the price; the session, its subscription or payment carry the pool's ids. */
    public Session createCheckoutSession(String orgId, String poolId, PoolKind kind, String priceId, int seats, String successUrl, String cancelUrl,
                                         String idempotencyKey) {
        SessionCreateParams.Builder session = SessionCreateParams.builder()
                .setMode(kind == PoolKind.SUBSCRIPTION ? SessionCreateParams.Mode.SUBSCRIPTION : SessionCreateParams.Mode.PAYMENT)
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(priceId).setQuantity((long) seats).build())
                .setSuccessUrl(successUrl)
                .setCancelUrl(cancelUrl)
                .setClientReferenceId(poolId)
                .putMetadata(ORG_ID, orgId)
                .putMetadata(POOL_ID, poolId);
        if (kind == PoolKind.SUBSCRIPTION) {
            session.setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putMetadata(ORG_ID, orgId).putMetadata(POOL_ID, poolId).build());
        } else {
            session.setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putMetadata(ORG_ID, orgId).putMetadata(POOL_ID, poolId).build());
        }
        return call("create a checkout session", () -> client.v1().checkout().sessions().create(session.build(), keyed(idempotencyKey)));
    }

    public Session checkoutSession(String sessionId) {
        return call("read the checkout session", () -> client.v1().checkout().sessions().retrieve(sessionId));
    }

    public Subscription subscription(String subscriptionId) {
        return call("read the subscription", () -> client.v1().subscriptions().retrieve(subscriptionId));
    }

    public void updateQuantity(String subscriptionItemId, int quantity, ProrationBehavior proration, String idempotencyKey) {
        SubscriptionItemUpdateParams update = SubscriptionItemUpdateParams.builder()
                .setQuantity((long) quantity)
                .setProrationBehavior(switch (proration) {
                    case CREATE_PRORATIONS -> SubscriptionItemUpdateParams.ProrationBehavior.CREATE_PRORATIONS;
                    case ALWAYS_INVOICE -> SubscriptionItemUpdateParams.ProrationBehavior.ALWAYS_INVOICE;
                    case NONE -> SubscriptionItemUpdateParams.ProrationBehavior.NONE;
                })
                .build();
        call("update the quantity", () -> client.v1().subscriptionItems().update(subscriptionItemId, update, keyed(idempotencyKey)));
    }

    /**
     * The subscription's quantity becomes {@code quantity} when its current period ends, and not before: a subscription
     * schedule (made from the subscription when it has none) keeps the current phase as it is and adds the next one with
     * the new quantity, then releases the subscription. Stripe's renewal invoice bills the new quantity; nothing is
     * prorated. A later call replaces the next phase.
     */
    public void scheduleQuantity(String subscriptionId, int quantity, String idempotencyKey) {
        Subscription subscription = subscription(subscriptionId);
        SubscriptionSchedule schedule = subscription.getSchedule() != null
                ? call("read the subscription schedule", () -> client.v1().subscriptionSchedules().retrieve(subscription.getSchedule()))
                : call("schedule the subscription", () -> client.v1().subscriptionSchedules().create(
                        SubscriptionScheduleCreateParams.builder().setFromSubscription(subscriptionId).build(), keyed(idempotencyKey + ":schedule")));
        SubscriptionSchedule.Phase current = schedule.getPhases().get(0);
        SubscriptionSchedule.Phase.Item item = current.getItems().get(0);
        String interval = subscription.getItems().getData().get(0).getPrice().getRecurring().getInterval();
        SubscriptionScheduleUpdateParams phases = SubscriptionScheduleUpdateParams.builder()
                .addPhase(SubscriptionScheduleUpdateParams.Phase.builder()
                        .addItem(SubscriptionScheduleUpdateParams.Phase.Item.builder().setPrice(item.getPrice()).setQuantity(item.getQuantity()).build())
                        .setStartDate(current.getStartDate())
                        .setEndDate(current.getEndDate())
                        .build())
                .addPhase(SubscriptionScheduleUpdateParams.Phase.builder()
                        .addItem(SubscriptionScheduleUpdateParams.Phase.Item.builder().setPrice(item.getPrice()).setQuantity((long) quantity).build())
                        .setDuration(SubscriptionScheduleUpdateParams.Phase.Duration.builder()
                                .setInterval("year".equals(interval) ? SubscriptionScheduleUpdateParams.Phase.Duration.Interval.YEAR
                                        : SubscriptionScheduleUpdateParams.Phase.Duration.Interval.MONTH)
                                .setIntervalCount(1L).build())
                        .build())
                .setEndBehavior(SubscriptionScheduleUpdateParams.EndBehavior.RELEASE)
                .setProrationBehavior(SubscriptionScheduleUpdateParams.ProrationBehavior.NONE)
                .build();
        call("schedule the quantity", () -> client.v1().subscriptionSchedules().update(schedule.getId(), phases, keyed(idempotencyKey + ":phases")));
    }

    /** Drops a quantity change scheduled for the period's end (the subscription's schedule, if it has one, is released). */
    public void releaseSchedule(String subscriptionId, String idempotencyKey) {
        String scheduleId = subscription(subscriptionId).getSchedule();
        if (scheduleId != null) {
            call("release the subscription schedule", () -> client.v1().subscriptionSchedules().release(scheduleId, keyed(idempotencyKey + ":release")));
        }
    }

    public Charge charge(String chargeId) {
        return call("read the charge", () -> client.v1().charges().retrieve(chargeId));
    }

    public Dispute dispute(String disputeId) {
        return call("read the dispute", () -> client.v1().disputes().retrieve(disputeId));
    }

    public PaymentIntent paymentIntent(String paymentIntentId) {
        return call("read the payment intent", () -> client.v1().paymentIntents().retrieve(paymentIntentId));
    }

    public void cancelSubscription(String subscriptionId, String idempotencyKey) {
        call("cancel the subscription", () -> client.v1().subscriptions().cancel(subscriptionId, SubscriptionCancelParams.builder().build(),
                keyed(idempotencyKey)));
    }

    public void cancelAtPeriodEnd(String subscriptionId, boolean cancel, String idempotencyKey) {
        call("schedule the cancellation", () -> client.v1().subscriptions().update(subscriptionId,
                SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(cancel).build(), keyed(idempotencyKey)));
    }

    /** Walks every subscription of the account, any status, page by page. */
    public void eachSubscription(Consumer<Subscription> visitor) {
        SubscriptionListParams first = SubscriptionListParams.builder().setStatus(SubscriptionListParams.Status.ALL).setLimit(100L).build();
        for (Subscription subscription : call("list the subscriptions", () -> client.v1().subscriptions().list(first)).autoPagingIterable()) {
            visitor.accept(subscription);
        }
    }

    private static long orZero(Long amount) {
        return amount == null ? 0 : amount;
    }

    private static RequestOptions keyed(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private interface StripeCall<T> {
        T run() throws StripeException;
    }

    private static <T> T call(String what, StripeCall<T> call) {
        try {
            return call.run();
        } catch (StripeException e) {
            Integer status = e.getStatusCode();
            boolean retryable = e instanceof ApiConnectionException || status == null || status == 409 || status == 429 || status >= 500;
            String code = e.getCode() != null ? e.getCode() : (status == null ? "connection_failed" : "http_" + status);
            // Stripe's message may quote customer data: keep it out of our messages and logs.
            throw new StripeFailure("Stripe could not " + what + " (" + code + ")", retryable, code, status, null);
        }
    }
}
