package io.seatledger.billing.webhook;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import io.seatledger.billing.BillingActor;
import io.seatledger.billing.stripe.StripeFailure;
import io.seatledger.billing.stripe.StripeGateway;
import io.seatledger.billing.stripe.StripeStates;
import io.seatledger.billing.stripe.StripeStates.PoolRef;
import io.seatledger.billing.sync.StripeLinks;
import io.seatledger.messages.common.Rejection;
import io.seatledger.messages.seatpool.ApplyPaymentState;
import io.seatledger.messages.seatpool.ApplyProviderState;
import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.ProviderState;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies the received Stripe events. Never trusts their order or their copy of the object: it reads the
 * checkout session or subscription from Stripe now and gives the pool Stripe's current state
 * ({@link ApplyProviderState}), or, for refunds and disputes, the charge and dispute as they are now
 * ({@link ApplyPaymentState}), which the pool applies only where it differs. Any instance may work on any
 * event (rows are leased with {@code FOR UPDATE SKIP LOCKED}); one that fails is tried again with backoff.
 */
public class WebhookProcessor {

    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
    /** How long an instance may work on an event before another one may take it over. */
    private static final Duration LEASE = Duration.ofSeconds(60);

    public record Settings(Duration gracePeriod, Duration pollInterval, int attempts, Duration firstBackoff) {
    }

    private record Due(String eventId, String type, String objectId, int attempts) {
    }

    private final JdbcTemplate jdbc;
    private final StripeGateway stripe;
    private final StripeLinks links;
    private final CommandGateway commands;
    private final Clock clock;
    private final Settings settings;
    private final WebhookInbox inbox;
    private final AtomicBoolean draining = new AtomicBoolean();
    private ScheduledExecutorService worker;

    public WebhookProcessor(JdbcTemplate jdbc, StripeGateway stripe, StripeLinks links, CommandGateway commands, Clock clock, Settings settings,
                            WebhookInbox inbox) {
        this.jdbc = jdbc;
        this.stripe = stripe;
        this.links = links;
        this.commands = commands;
        this.clock = clock;
        this.settings = settings;
        this.inbox = inbox;
    }

    public synchronized void start() {
        worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stripe-webhooks");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::drain, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
    }

    /** Applies what was just received without waiting for the next poll. */
    public synchronized void wake() {
        if (worker != null) {
            try {
                worker.execute(this::drain);
            } catch (RejectedExecutionException stopping) {
                // the poll of whichever instance runs next applies it
            }
        }
    }

    /** Applies every event that is due now; returns how many were worked on. */
    public int drain() {
        if (!draining.compareAndSet(false, true)) {
            return 0;
        }
        int worked = 0;
        try {
            for (Optional<Due> due = claim(); due.isPresent(); due = claim()) {
                work(due.get());
                worked++;
            }
        } catch (RuntimeException e) {
            log.error("Applying Stripe events stopped ({}); the next poll resumes", e.getClass().getSimpleName());
        } finally {
            draining.set(false);
        }
        return worked;
    }

    private Optional<Due> claim() {
        Instant now = clock.instant();
        List<Due> claimed = jdbc.query("""
                update billing.webhook_events set attempts = attempts + 1, due_at = ?
                where event_id = (select event_id from billing.webhook_events where processed_at is null and due_at <= ?
                                  order by due_at, received_at limit 1 for update skip locked)
                returning event_id, type, object_id, attempts""",
                (rs, row) -> new Due(rs.getString("event_id"), rs.getString("type"), rs.getString("object_id"), rs.getInt("attempts")),
                Timestamp.from(now.plus(LEASE)), Timestamp.from(now));
        return claimed.stream().findFirst();
    }

    private void work(Due due) {
        String outcome;
        try {
            outcome = apply(due);
        } catch (RuntimeException failure) {
            Optional<Rejection> rejection = Rejection.behind(failure);
            if (rejection.isPresent()) {
                log.atWarn().addKeyValue("stripeEventId", due.eventId())
                        .log("Stripe event {} ({}) was refused by the pool: {}", due.eventId(), due.type(), rejection.get().code());
                finish(due, "rejected");
                return;
            }
            String reason = failure instanceof StripeFailure stripeFailure ? stripeFailure.code() : failure.getClass().getSimpleName();
            if (due.attempts() < settings.attempts()) {
                Duration backoff = settings.firstBackoff().multipliedBy(1L << Math.min(due.attempts() - 1, 16));
                jdbc.update("update billing.webhook_events set due_at = ?, failure = ? where event_id = ?",
                        Timestamp.from(clock.instant().plus(backoff)), reason, due.eventId());
                inbox.count(due.type(), "retried");
                return;
            }
            outcome = "failed";
            log.error("Stripe event {} ({}) could not be applied after {} attempts ({})", due.eventId(), due.type(), due.attempts(), reason);
        }
        finish(due, outcome);
    }

    private void finish(Due due, String outcome) {
        jdbc.update("update billing.webhook_events set processed_at = ?, outcome = ? where event_id = ?",
                Timestamp.from(clock.instant()), outcome, due.eventId());
        inbox.count(due.type(), outcome);
    }

    private String apply(Due due) {
        if (due.objectId() == null) {
            return "unmatched";
        }
        if (due.type().startsWith("charge.")) {
            return applyPayment(due);
        }
        if (due.type().startsWith("checkout.session.")) {
            Session session = stripe.checkoutSession(due.objectId());
            Optional<PoolRef> pool = StripeStates.poolOf(session.getMetadata());
            if (pool.isEmpty()) {
                return "unmatched";
            }
            ProviderState state;
            if (!"subscription".equals(session.getMode())) {
                state = StripeStates.ofOrder(session, due.type().equals("checkout.session.async_payment_failed"));
            } else if (session.getSubscription() != null) {
                state = StripeStates.of(stripe.subscription(session.getSubscription()), null, session.getId());
            } else if ("expired".equals(session.getStatus())) {
                state = StripeStates.expiredCheckout(session);
            } else {
                return "pending";
            }
            return applyTo(pool.get(), state, due);
        }
        Subscription subscription;
        try {
            subscription = stripe.subscription(due.objectId());
        } catch (StripeFailure failure) {
            if (failure.notFound()) {
                return "unmatched";
            }
            throw failure;
        }
        Optional<StripeLinks.Link> link = links.ofSubscription(subscription.getId());
        Optional<PoolRef> pool = StripeStates.poolOf(subscription.getMetadata())
                .or(() -> link.map(known -> new PoolRef(known.orgId(), known.poolId())));
        if (pool.isEmpty()) {
            return "unmatched";
        }
        String itemId = link.map(known -> known.stripe().subscriptionItemId()).orElse(null);
        return applyTo(pool.get(), StripeStates.of(subscription, itemId, null), due);
    }

    /** A refund or dispute: the dispute (if it is one) and its charge read again, and the pool the charge paid for. */
    private String applyPayment(Due due) {
        String chargeId = due.objectId();
        String disputeId = null;
        PaymentState.DisputeStatus dispute = null;
        Charge charge;
        try {
            if (due.type().startsWith("charge.dispute.")) {
                Dispute read = stripe.dispute(due.objectId());
                disputeId = read.getId();
                dispute = StripeStates.dispute(read.getStatus());
                chargeId = read.getCharge();
            }
            charge = stripe.charge(chargeId);
        } catch (StripeFailure failure) {
            if (failure.notFound()) {
                return "unmatched";
            }
            throw failure;
        }
        Optional<PoolRef> pool = poolPaidBy(charge);
        if (pool.isEmpty()) {
            return "unmatched";
        }
        ApplyPaymentState command = new ApplyPaymentState(pool.get().poolId(), pool.get().orgId(), StripeStates.payment(charge, disputeId, dispute));
        BillingActor.send(commands, command, pool.get().orgId(), "stripe:" + due.eventId(), "stripe_" + due.type().replace('.', '_'));
        return "applied";
    }

    /**
     * The pool a charge paid for: named in its payment intent's metadata (an order's checkout puts it there), else the
     * one pool of its customer (a subscription's invoices are paid by the customer its checkout made).
     */
    private Optional<PoolRef> poolPaidBy(Charge charge) {
        Optional<PoolRef> named = StripeStates.poolOf(charge.getMetadata());
        if (named.isEmpty() && charge.getPaymentIntent() != null) {
            named = StripeStates.poolOf(stripe.paymentIntent(charge.getPaymentIntent()).getMetadata());
        }
        if (named.isPresent() || charge.getCustomer() == null) {
            return named;
        }
        return links.ofCustomer(charge.getCustomer()).map(link -> new PoolRef(link.orgId(), link.poolId()));
    }

    private String applyTo(PoolRef pool, ProviderState state, Due due) {
        ApplyProviderState command = new ApplyProviderState(pool.poolId(), pool.orgId(), state, clock.instant().plus(settings.gracePeriod()));
        BillingActor.send(commands, command, pool.orgId(), "stripe:" + due.eventId(), "stripe_" + due.type().replace('.', '_'));
        return "applied";
    }
}
