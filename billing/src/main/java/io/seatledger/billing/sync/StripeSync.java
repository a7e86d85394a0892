package io.seatledger.billing.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.billing.BillingActor;
import io.seatledger.billing.stripe.StripeFailure;
import io.seatledger.billing.stripe.StripeGateway;
import io.seatledger.messages.seatpool.*;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import java.util.Set;

/**
 * Carries our own changes of Stripe-billed pools to Stripe: a resize becomes the subscription item's new
 * quantity now, or the next phase of the subscription's schedule when it waits for the period's end (confirmed
 * by an event only once Stripe accepted it); a cancellation cancels the subscription.
 * Changes Stripe itself caused (applied from its webhooks) are not sent back. Stripe calls never run in a
 * replay, and a request that a later event already settled is not sent again when the processor catches
 * up from the start (a new deployment's first run).
 */
@ProcessingGroup(StripeSync.PROCESSOR)
public class StripeSync {

    public static final String PROCESSOR = "stripe-sync";
    private static final Logger log = LoggerFactory.getLogger(StripeSync.class);
    private static final Set<Class<?>> SETTLE_RESIZE = Set.of(SeatPoolResized.class, SeatPoolResizeScheduled.class, SeatCapacityForced.class,
            SeatPoolResizeFailed.class, SeatPoolCanceled.class);
    private static final Set<Class<?>> SETTLE_CANCELLATION = Set.of(SeatPoolCanceled.class, SeatPoolCancellationWithdrawn.class);

    /** How often and how patiently a Stripe call that may succeed later is tried again. */
    public record RetryPolicy(int attempts, Duration firstBackoff) {
    }

    private final StripeLinks links;
    private final StripeGateway stripe;
    private final CommandGateway commands;
    private final EventStore events;
    private final RetryPolicy retry;
    private final MeterRegistry meters;

    public StripeSync(StripeLinks links, StripeGateway stripe, CommandGateway commands, EventStore events, RetryPolicy retry, MeterRegistry meters) {
        this.links = links;
        this.stripe = stripe;
        this.commands = commands;
        this.events = events;
        this.retry = retry;
        this.meters = meters;
    }

    @EventHandler
    void on(SeatPoolPurchased event) {
        if (event.stripe() != null) {
            links.record(event.poolId(), event.orgId(), event.kind(), event.stripe());
        }
    }

    @EventHandler
    void on(CheckoutSessionOpened event) {
        links.update(event.poolId(), new StripeSubscription(null, null, null, event.checkoutSessionId()));
    }

    @EventHandler
    void on(SeatPoolActivated event) {
        links.update(event.poolId(), event.stripe());
    }

    @EventHandler
    @DisallowReplay
    void on(SeatPoolResizeRequested event, @SequenceNumber long sequence) {
        String itemId = links.ofPool(event.poolId()).map(link -> link.stripe().subscriptionItemId()).orElse(null);
        if (itemId == null || settledLater(event.poolId(), sequence, SETTLE_RESIZE)) {
            return;
        }
        String subscriptionId = links.ofPool(event.poolId()).map(link -> link.stripe().subscriptionId()).orElse(null);
        String key = "seat-ledger:resize:" + event.poolId() + ":" + sequence;
        try {
            withRetries("resize", () -> {
                if (event.timing() == ResizeTiming.PERIOD_END) {
                    // Stripe bills the new quantity from the renewal on, not before: the seats stay in use until then.
                    stripe.scheduleQuantity(subscriptionId, event.seats(), key);
                } else {
                    // The newest resize wins: a quantity scheduled for the period's end must not undo it at renewal.
                    stripe.releaseSchedule(subscriptionId, key);
                    stripe.updateQuantity(itemId, event.seats(), event.prorationBehavior(), key);
                }
            });
            outcome("resize", "accepted");
            BillingActor.send(commands, new ConfirmSeatPoolResize(event.poolId(), event.orgId()), event.orgId(),
                    "stripe-resize:" + event.poolId() + ":" + sequence, "stripe_accepted");
        } catch (StripeFailure failure) {
            outcome("resize", failure.retryable() ? "gave_up" : "refused");
            log.atWarn().addKeyValue("orgId", event.orgId()).addKeyValue("poolId", event.poolId())
                    .log("Stripe did not take the resize of pool {} ({}); recorded as failed", event.poolId(), failure.code());
            BillingActor.send(commands, new FailSeatPoolResize(event.poolId(), event.orgId(), failure.code()), event.orgId(),
                    "stripe-resize:" + event.poolId() + ":" + sequence, "stripe_refused");
        }
    }

    @EventHandler
    @DisallowReplay
    void on(SeatPoolCanceled event, EventMessage<?> message) {
        String subscriptionId = subscriptionOf(event.poolId(), message);
        if (subscriptionId == null) {
            return;
        }
        tryToChange("cancel", event.poolId(), () -> {
            if (!"canceled".equals(stripe.subscription(subscriptionId).getStatus())) {
                stripe.cancelSubscription(subscriptionId, "seat-ledger:cancel:" + event.poolId());
            }
        });
    }

    @EventHandler
    @DisallowReplay
    void on(SeatPoolCancellationScheduled event, EventMessage<?> message, @SequenceNumber long sequence) {
        String subscriptionId = subscriptionOf(event.poolId(), message);
        if (subscriptionId == null || settledLater(event.poolId(), sequence, SETTLE_CANCELLATION)) {
            return;
        }
        tryToChange("cancel_at_period_end", event.poolId(),
                () -> stripe.cancelAtPeriodEnd(subscriptionId, true, "seat-ledger:cancel-at-period-end:" + event.poolId() + ":" + sequence));
    }

    /**
     * The subscription to change, or null when Stripe does not bill the pool or Stripe itself caused the change. A
     * cancellation over a lost dispute is Stripe's news but our decision: the subscription must stop billing too.
     */
    private String subscriptionOf(String poolId, EventMessage<?> message) {
        if (BillingActor.caused(message.getMetaData()) && !BillingActor.aboutDisputes(message.getMetaData())) {
            return null;
        }
        return links.ofPool(poolId).map(link -> link.stripe().subscriptionId()).orElse(null);
    }

    private void tryToChange(String operation, String poolId, Runnable change) {
        try {
            withRetries(operation, change);
            outcome(operation, "accepted");
        } catch (StripeFailure failure) {
            // Nothing to record on the pool: the next reconciliation reports the difference.
            outcome(operation, failure.retryable() ? "gave_up" : "refused");
            log.warn("Stripe did not take the {} of pool {} ({})", operation, poolId, failure.code());
        }
    }

    private void withRetries(String operation, Runnable call) {
        Duration backoff = retry.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (StripeFailure failure) {
                if (!failure.retryable() || attempt >= retry.attempts()) {
                    throw failure;
                }
                outcome(operation, "retried");
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private boolean settledLater(String poolId, long sequence, Set<Class<?>> settling) {
        return events.readEvents(poolId, sequence + 1).asStream().anyMatch(later -> settling.contains(later.getPayloadType()));
    }

    private void outcome(String operation, String outcome) {
        Counter.builder("seatledger.billing.sync").description("Calls carrying our changes to Stripe, by operation and outcome")
                .tags("operation", operation, "outcome", outcome).register(meters).increment();
        if (!outcome.equals("accepted") && !outcome.equals("retried")) {
            Counter.builder("seatledger.billing.sync.failures").description("Changes Stripe did not take, after retries")
                    .tags("operation", operation).register(meters).increment();
        }
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StripeFailure("interrupted while waiting to retry", false, "interrupted", null, e);
        }
    }
}
