package io.seatledger.api.billing;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.axon.CachedAggregateSnapshotter;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.Snapshots;
import io.seatledger.billing.reconciliation.PoolRecount;
import io.seatledger.command.seatpool.SeatPool;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.billing.sync.StripeSync;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.billing.testing.FakeStripe;
import io.seatledger.billing.testing.FakeStripe.Delivery;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.messages.seatpool.PaymentRefunded;
import io.seatledger.messages.seatpool.RevocationReason;
import io.seatledger.messages.seatpool.SeatCapacityForced;
import io.seatledger.messages.seatpool.SeatPoolSuspended;
import io.seatledger.messages.seatpool.SeatPoolSuspensionLifted;
import io.seatledger.messages.seatpool.SeatRevoked;
import io.seatledger.messages.seatpool.SeatPoolActivated;
import io.seatledger.messages.seatpool.SeatPoolResizeFailed;
import io.seatledger.messages.seatpool.SeatPoolResized;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Billing end to end: the service, its PostgreSQL and Redis, and a fake Stripe speaking Stripe's wire format. */
class BillingTest extends ApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    MeterRegistry meters;
    @Autowired
    CachedAggregateSnapshotter snapshotter;

    record StripePool(String poolId, String sessionId, String subscriptionId, String itemId) {
    }

    @Test
    void checkoutOpensASessionAndPaymentActivatesThePoolOnceWhateverTheDeliveries() {
        Map<String, Object> opened = checkout(5);
        String poolId = (String) opened.get("poolId");
        String sessionId = (String) opened.get("checkoutSessionId");
        assertThat((String) opened.get("url")).startsWith("https://checkout.stripe.com/");
        Map<String, Object> awaiting = pool(poolId);
        assertThat(awaiting).containsEntry("status", "awaiting_payment").containsEntry("capacity", 5);
        assertThat(stripeOf(awaiting)).containsEntry("checkoutSessionId", sessionId);
        FakeStripe.Request sessionCall = STRIPE.requests().stream().filter(r -> r.path().equals("/v1/checkout/sessions")).reduce((a, b) -> b).orElseThrow();
        assertThat(sessionCall.params()).containsEntry("mode", "subscription").containsEntry("line_items[0][quantity]", "5")
                .containsEntry("metadata[seatledger_pool_id]", poolId).containsEntry("subscription_data[metadata][seatledger_org_id]", orgId);
        assertThat(sessionCall.idempotencyKey()).isEqualTo("seat-ledger:checkout:" + poolId);

        List<Delivery> deliveries = STRIPE.completeCheckout(sessionId);
        long seed = System.nanoTime();
        List<Integer> statuses = STRIPE.send("http://localhost:" + port + "/api/v1/billing/stripe/webhook", deliveries, 5, new Random(seed));
        assertThat(statuses).as("seed " + seed).hasSize(15).containsOnly(200);

        await().atMost(PATIENCE).until(() -> "active".equals(pool(poolId).get("status")));
        awaitApplied(deliveries);
        Map<String, Object> stripe = stripeOf(pool(poolId));
        assertThat(stripe.get("subscriptionId")).isNotNull();
        assertThat(stripe.get("subscriptionItemId")).isNotNull();
        assertThat(stripe).containsEntry("checkoutSessionId", sessionId);
        assertThat(eventsOf(poolId, SeatPoolActivated.class)).as("activated once, seed " + seed).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from billing.webhook_events where event_id in (?, ?, ?)", Integer.class,
                deliveries.get(0).eventId(), deliveries.get(1).eventId(), deliveries.get(2).eventId())).isEqualTo(3);
        assertThat(jdbc.queryForList("select outcome from billing.webhook_events where event_id in (?, ?, ?)", String.class,
                deliveries.get(0).eventId(), deliveries.get(1).eventId(), deliveries.get(2).eventId())).containsOnly("applied");
    }

    @Test
    void aBadOrStaleSignatureIsRefusedAndNothingIsKept() {
        StripePool pool = stripePool(2);
        Delivery delivery = STRIPE.changeQuantityInDashboard(pool.subscriptionId(), 4).get(0);
        String stale = FakeStripe.sign(delivery.payload(), Instant.now().minusSeconds(600).getEpochSecond(), FakeStripe.WEBHOOK_SECRET);
        String forged = FakeStripe.sign(delivery.payload(), Instant.now().getEpochSecond(), "whsec_someone_else");
        for (String signature : new String[]{stale, forged, "t=1,v1=00", null}) {
            WebTestClient.RequestBodySpec request = api.anonymous().post().uri("/api/v1/billing/stripe/webhook").contentType(MediaType.APPLICATION_JSON);
            if (signature != null) {
                request.header("Stripe-Signature", signature);
            }
            request.bodyValue(delivery.payload()).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(Api.PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
        }
        assertThat(jdbc.queryForObject("select count(*) from billing.webhook_events where event_id = ?", Integer.class, delivery.eventId())).isZero();
        assertThat(pool(pool.poolId())).containsEntry("capacity", 2);
    }

    @Test
    void aResizeGoesToStripeFirstIsConfirmedOnceAndItsEchoChangesNothing() {
        StripePool pool = stripePool(5);
        resize(pool.poolId(), 8).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> ((Number) pool(pool.poolId()).get("capacity")).intValue() == 8);
        assertThat(STRIPE.quantityOf(pool.subscriptionId())).isEqualTo(8);
        FakeStripe.Request update = STRIPE.requests().stream().filter(r -> r.path().equals("/v1/subscription_items/" + pool.itemId()))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(update.params()).containsEntry("quantity", "8").containsEntry("proration_behavior", "create_prorations");
        assertThat(update.idempotencyKey()).startsWith("seat-ledger:resize:" + pool.poolId() + ":");

        List<Delivery> echo = STRIPE.changeQuantityInDashboard(pool.subscriptionId(), 8);
        deliverAll(echo);
        awaitApplied(echo);
        assertThat(eventsOf(pool.poolId(), SeatPoolResized.class)).hasSize(1);
        assertThat(eventsOf(pool.poolId(), SeatCapacityForced.class)).isEmpty();
    }

    @Test
    void stripesWebhookBeforeOurOwnConfirmationConfirmsTheResizeAndTheLateCallIsNotMade() {
        StripePool pool = stripePool(5);
        Processors processors = new Processors(processing, jdbc);
        processors.named(StripeSync.PROCESSOR).shutDown();
        try {
            resize(pool.poolId(), 6).expectStatus().isAccepted();
            // Stripe took the new quantity and told us before our own call came back.
            List<Delivery> early = STRIPE.changeQuantityInDashboard(pool.subscriptionId(), 6);
            deliverAll(early);
            awaitApplied(early);
            assertThat(pool(pool.poolId())).containsEntry("capacity", 6);
        } finally {
            processors.named(StripeSync.PROCESSOR).start();
        }
        processors.awaitCaughtUp(StripeSync.PROCESSOR);
        assertThat(eventsOf(pool.poolId(), SeatPoolResized.class)).hasSize(1);
        assertThat(eventsOf(pool.poolId(), SeatCapacityForced.class)).isEmpty();
        assertThat(STRIPE.requests()).noneMatch(r -> r.path().equals("/v1/subscription_items/" + pool.itemId()));
    }

    @Test
    void aRefusedStripeCallRecordsAFailureAndATransientOneIsRetried() {
        StripePool pool = stripePool(5);
        double failuresBefore = failures();
        STRIPE.failNext("POST", "/v1/subscription_items/" + pool.itemId(), 402, "card_error", "card_declined", 1);
        resize(pool.poolId(), 9).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> !eventsOf(pool.poolId(), SeatPoolResizeFailed.class).isEmpty());
        assertThat(((SeatPoolResizeFailed) eventsOf(pool.poolId(), SeatPoolResizeFailed.class).get(0).getPayload()).failure()).isEqualTo("card_declined");
        assertThat(pool(pool.poolId())).containsEntry("capacity", 5);
        assertThat(STRIPE.quantityOf(pool.subscriptionId())).isEqualTo(5);
        assertThat(failures()).isEqualTo(failuresBefore + 1);

        STRIPE.failNext("POST", "/v1/subscription_items/" + pool.itemId(), 500, "api_error", null, 2);
        resize(pool.poolId(), 7).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> ((Number) pool(pool.poolId()).get("capacity")).intValue() == 7);
        assertThat(STRIPE.quantityOf(pool.subscriptionId())).isEqualTo(7);
        assertThat(STRIPE.requests().stream().filter(r -> r.path().equals("/v1/subscription_items/" + pool.itemId()))
                .map(FakeStripe.Request::idempotencyKey).distinct().count()).as("one key per resize, whatever the attempts").isEqualTo(2);
    }

    @Test
    void aReconciliationFindsEachKindOfDriftAndRepairsOnlyWhatIsSafe() {
        StripePool growing = stripePool(3);
        STRIPE.changeQuantitySilently(growing.subscriptionId(), 7);
        StripePool shrunk = stripePool(3);
        assign(shrunk.poolId(), "a@example.com");
        assign(shrunk.poolId(), "b@example.com");
        STRIPE.changeQuantitySilently(shrunk.subscriptionId(), 1);
        StripePool canceled = stripePool(2);
        STRIPE.setStatusSilently(canceled.subscriptionId(), "canceled");
        StripePool forgotten = stripePool(2);
        STRIPE.forget(forgotten.subscriptionId());
        String unknown = STRIPE.createUnknownSubscription(4);
        String staleCounters = buyPool(4);
        awaitCounters(staleCounters);
        redis.opsForHash().put(CounterKeys.pool(orgId, staleCounters), "capacity", "999");
        String staleRow = buyPool(4);
        jdbc.update("update read_model.seat_pools set claimed = 42 where pool_id = ?", staleRow);
        double repairedBefore = counted("seatledger.billing.drift.repaired", "cache_drift");

        WebTestClient service = api.as("reconciler", "ops", "ops@example.com", "service");
        Map<String, Object> report = reconcile(service);
        List<Map<String, Object>> drifts = drifts(report);
        assertThat(driftOf(drifts, growing.poolId())).containsEntry("kind", "quantity_mismatch").containsEntry("action", "repaired");
        assertThat(driftOf(drifts, shrunk.poolId())).containsEntry("kind", "quantity_mismatch").containsEntry("action", "needs_review");
        assertThat(driftOf(drifts, canceled.poolId())).containsEntry("kind", "status_mismatch").containsEntry("action", "needs_review");
        assertThat(driftOf(drifts, forgotten.poolId())).containsEntry("kind", "orphan_local").containsEntry("action", "needs_review");
        assertThat(drifts).anySatisfy(drift -> assertThat(drift).containsEntry("kind", "orphan_stripe").containsEntry("action", "needs_review")
                .extracting("remote").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("subscriptionId", unknown));
        assertThat(driftOf(drifts, staleCounters)).containsEntry("kind", "cache_drift").containsEntry("action", "repaired")
                .extracting("remote").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("where", "redis");
        assertThat(driftOf(drifts, staleRow)).containsEntry("kind", "cache_drift").containsEntry("action", "repaired")
                .extracting("remote").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("where", "read_model");
        assertThat(counted("seatledger.billing.drift.repaired", "cache_drift")).isGreaterThanOrEqualTo(repairedBefore + 2);

        await().atMost(PATIENCE).until(() -> ((Number) pool(growing.poolId()).get("capacity")).intValue() == 7);
        assertThat(pool(shrunk.poolId())).containsEntry("capacity", 3);
        assertThat(pool(canceled.poolId())).containsEntry("status", "active");
        await().atMost(PATIENCE).until(() -> "4".equals(redis.opsForHash().get(CounterKeys.pool(orgId, staleCounters), "capacity")));
        await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.queryForObject("select claimed from read_model.seat_pools where pool_id = ?",
                Integer.class, staleRow) == 0);

        Map<String, Object> stored = service.get().uri("/api/v1/billing/reconciliations/{id}", report.get("id")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(stored).isEqualTo(report);
        Map<String, Object> again = reconcile(service);
        assertThat(drifts(again)).extracting(drift -> String.valueOf(drift.get("poolId"))).doesNotContain(growing.poolId(), staleCounters, staleRow);
        manager.post().uri("/api/v1/billing/reconciliations").exchange().expectStatus().isForbidden();
    }

    /**
     * A pool past the snapshot threshold is read from its snapshot by the write model; the reconciliation must still
     * count it from its events (a recount starting at the snapshot saw no pool at all: "cache drift, no events", a
     * rebuild of the read model every run, and Stripe never compared).
     */
    @Test
    void aSnapshottedPoolIsRecountedFromAllItsEventsAndComparedWithStripe() throws Exception {
        StripePool drifting = stripePool(3);
        assign(drifting.poolId(), "a@example.com");
        assign(drifting.poolId(), "b@example.com");
        StripePool inSync = stripePool(2);
        assign(inSync.poolId(), "c@example.com");
        for (String poolId : List.of(drifting.poolId(), inSync.poolId())) {
            snapshotter.scheduleSnapshot(SeatPool.class, poolId);
            Snapshots.awaitSnapshot(jdbc, poolId);
            assertThat(eventStore.readEvents(poolId).next().getPayload()).as("the write model loads it from its snapshot").isInstanceOf(SeatPool.class);
        }
        assign(drifting.poolId(), "after-the-snapshot@example.com");
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR);
        STRIPE.changeQuantitySilently(drifting.subscriptionId(), 5);

        PoolRecount recount = PoolRecount.of(eventStore, drifting.poolId());
        assertThat(recount.exists()).isTrue();
        assertThat(recount.orgId()).isEqualTo(orgId);
        assertThat(recount.status()).isEqualTo(PoolStatus.ACTIVE);
        assertThat(recount.capacity()).isEqualTo(3);
        assertThat(recount.pending()).as("every seat, before and after the snapshot").isEqualTo(3);

        List<Map<String, Object>> drifts = drifts(reconcile(api.as("reconciler", "ops", "ops@example.com", "service")));
        assertThat(drifts).as("the snapshotted pool in sync").noneMatch(drift -> inSync.poolId().equals(drift.get("poolId")));
        assertThat(driftOf(drifts, drifting.poolId())).containsEntry("kind", "quantity_mismatch").containsEntry("action", "repaired")
                .extracting("local").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("pending", 3);
        await().atMost(PATIENCE).until(() -> ((Number) pool(drifting.poolId()).get("capacity")).intValue() == 5);
    }

    @Test
    void aWebhookWhoseObjectStripeCannotServeIsAppliedOnALaterAttempt() {
        StripePool pool = stripePool(4);
        STRIPE.failNext("GET", "/v1/subscriptions/" + pool.subscriptionId(), 503, "api_error", null, 1);
        List<Delivery> changed = STRIPE.changeQuantityInDashboard(pool.subscriptionId(), 6);
        deliverAll(changed);
        awaitApplied(changed);
        assertThat(pool(pool.poolId())).containsEntry("capacity", 6);
        assertThat(jdbc.queryForMap("select attempts, outcome from billing.webhook_events where event_id = ?", changed.get(0).eventId()))
                .containsEntry("attempts", 2).containsEntry("outcome", "applied");
    }

    @Test
    void aFailedRenewalMakesThePoolPastDueAndTheDashboardsCancellationRevokesItsSeats() {
        StripePool pool = stripePool(3);
        String seatId = (String) assign(pool.poolId(), "c@example.com").get("seatId");
        List<Delivery> failed = STRIPE.failRenewalPayment(pool.subscriptionId());
        deliverAll(failed);
        awaitApplied(failed);
        assertThat(pool(pool.poolId())).containsEntry("status", "past_due");

        List<Delivery> canceled = STRIPE.cancelInDashboard(pool.subscriptionId());
        deliverAll(canceled);
        awaitApplied(canceled);
        assertThat(pool(pool.poolId())).containsEntry("status", "canceled").containsEntry("pending", 0);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, pool.poolId(), seatId).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("revoked");
        assertThat(STRIPE.requests()).as("Stripe's own cancellation is not sent back")
                .noneMatch(r -> r.method().equals("DELETE") && r.path().endsWith(pool.subscriptionId()));
    }

    @Test
    void theBillingManagersCancellationCancelsTheSubscriptionInStripe() {
        StripePool now = stripePool(2);
        StripePool later = stripePool(2);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, now.poolId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", false)).exchange().expectStatus().isOk();
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, later.poolId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", true)).exchange().expectStatus().isOk();
        await().atMost(PATIENCE).until(() -> "canceled".equals(STRIPE.subscription(now.subscriptionId()).get("status")));
        await().atMost(PATIENCE).until(() -> Boolean.TRUE.equals(STRIPE.subscription(later.subscriptionId()).get("cancel_at_period_end")));
        assertThat(STRIPE.subscription(later.subscriptionId())).containsEntry("status", "active");
        assertThat(pool(later.poolId())).containsEntry("cancelAtPeriodEnd", true).containsEntry("status", "active");
    }

    @Test
    void aCheckoutThatFailedAtStripeGoesOnWhenRetriedWithTheSameKey() {
        STRIPE.failNext("POST", "/v1/checkout/sessions", 503, "api_error", null, 1);
        Map<String, Object> body = Map.of("kind", "order", "seats", 4, "pricing", Map.of("currency", "eur", "tiersMode", "graduated",
                        "tiers", List.of(tier(2L, 1000, 500), tier(null, 800, 0))),
                "successUrl", "https://app.example.com/paid", "cancelUrl", "https://app.example.com/canceled");
        manager.post().uri("/api/v1/orgs/{org}/checkout-sessions", orgId).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "checkout-1").bodyValue(body).exchange()
                .expectStatus().isEqualTo(503).expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
        @SuppressWarnings("unchecked")
        Map<String, Object> opened = manager.post().uri("/api/v1/orgs/{org}/checkout-sessions", orgId).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "checkout-1").bodyValue(body).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String poolId = (String) opened.get("poolId");
        assertThat(manager.get().uri("/api/v1/orgs/{org}/seat-pools", orgId).exchange().expectBody(Map.class).returnResult().getResponseBody()
                .get("items")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(1);
        FakeStripe.Request price = STRIPE.requests().stream().filter(r -> r.path().equals("/v1/prices")
                && ("seat-ledger:price:" + poolId).equals(r.idempotencyKey())).reduce((a, b) -> b).orElseThrow();
        assertThat(price.params()).containsEntry("billing_scheme", "tiered").containsEntry("tiers_mode", "graduated")
                .containsEntry("tiers[0][up_to]", "2").containsEntry("tiers[0][flat_amount]", "500").containsEntry("tiers[1][up_to]", "inf")
                .doesNotContainKey("recurring[interval]");

        List<Delivery> paid = STRIPE.completeCheckout((String) opened.get("checkoutSessionId"));
        deliverAll(paid);
        awaitApplied(paid);
        assertThat(pool(poolId)).containsEntry("status", "active").containsEntry("kind", "order").containsEntry("capacity", 4);
    }

    @Test
    void anExistingStripePriceIsReadAsThePoolsPricingAndAnExpiredCheckoutCancelsThePool() {
        String priceId = STRIPE.createTieredPrice("usd", "volume", "month");
        @SuppressWarnings("unchecked")
        Map<String, Object> opened = manager.post().uri("/api/v1/orgs/{org}/checkout-sessions", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 12, "priceId", priceId,
                        "successUrl", "https://app.example.com/paid", "cancelUrl", "https://app.example.com/canceled"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> pool = pool((String) opened.get("poolId"));
        assertThat(pool).containsEntry("interval", "month");
        assertThat((Map<String, Object>) pool.get("pricing")).containsEntry("currency", "usd").containsEntry("tiersMode", "volume")
                .extracting("tiers").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(2);

        List<Delivery> expired = STRIPE.expireCheckout((String) opened.get("checkoutSessionId"));
        deliverAll(expired);
        awaitApplied(expired);
        assertThat(pool((String) opened.get("poolId"))).containsEntry("status", "canceled");
        manager.post().uri("/api/v1/orgs/{org}/checkout-sessions", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 1, "priceId", "price_unknown",
                        "successUrl", "https://app.example.com/paid", "cancelUrl", "https://app.example.com/canceled"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("priceId");
    }

    /**
     * A decrease scheduled for the period's end must not under-bill: Stripe's quantity stays until the renewal, whose
     * invoice bills the scheduled quantity (a subscription schedule phase), and seats taken in the meantime are billed
     * from the renewal on instead of being forced away.
     */
    @Test
    void aScheduledDecreaseReachesStripeAtRenewalAndNeverBelowTheSeatsThenInUse() {
        StripePool pool = stripePool(10);
        for (int i = 0; i < 3; i++) {
            assign(pool.poolId(), "early" + i + "@example.com");
        }
        resizeAtPeriodEnd(pool.poolId(), 3).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> pool(pool.poolId()).get("scheduledChange") != null);
        assertThat(pool(pool.poolId())).containsEntry("capacity", 10);
        assertThat(STRIPE.quantityOf(pool.subscriptionId())).as("Stripe bills the seats in use until the period ends").isEqualTo(10);
        assertThat(STRIPE.requests()).noneMatch(r -> r.path().equals("/v1/subscription_items/" + pool.itemId()));
        assertThat(nextPhaseQuantity(pool.subscriptionId())).isEqualTo(3);
        // seats taken after the decrease was scheduled, still within the capacity of this period
        for (int i = 0; i < 2; i++) {
            assign(pool.poolId(), "late" + i + "@example.com");
        }

        List<Delivery> renewal = STRIPE.renew(pool.subscriptionId());
        assertThat(STRIPE.invoicedQuantities(pool.subscriptionId())).as("the renewal invoice bills the scheduled quantity").containsExactly(10, 3);
        sendShuffledTwice(renewal);
        awaitApplied(renewal);
        await().atMost(PATIENCE).until(() -> ((Number) pool(pool.poolId()).get("capacity")).intValue() == 5);
        Map<String, Object> renewed = pool(pool.poolId());
        assertThat(renewed).containsEntry("overAllocated", 0).containsEntry("scheduledChange", null).containsEntry("status", "active");
        assertThat(STRIPE.quantityOf(pool.subscriptionId())).as("max(requested, in use) reaches Stripe").isEqualTo(5);
        FakeStripe.Request update = STRIPE.requests().stream().filter(r -> r.path().equals("/v1/subscription_items/" + pool.itemId()))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(update.params()).containsEntry("quantity", "5").containsEntry("proration_behavior", "create_prorations");
        assertThat(eventsOf(pool.poolId(), SeatCapacityForced.class)).isEmpty();

        // when the seats in use fit, the scheduled quantity Stripe applied is simply the new capacity
        StripePool fits = stripePool(6);
        assign(fits.poolId(), "only@example.com");
        resizeAtPeriodEnd(fits.poolId(), 3).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> pool(fits.poolId()).get("scheduledChange") != null);
        List<Delivery> fitsRenewal = STRIPE.renew(fits.subscriptionId());
        sendShuffledTwice(fitsRenewal);
        awaitApplied(fitsRenewal);
        await().atMost(PATIENCE).until(() -> ((Number) pool(fits.poolId()).get("capacity")).intValue() == 3);
        assertThat(STRIPE.quantityOf(fits.subscriptionId())).isEqualTo(3);
        assertThat(STRIPE.requests()).noneMatch(r -> r.path().equals("/v1/subscription_items/" + fits.itemId()));
        assertThat(eventsOf(fits.poolId(), SeatCapacityForced.class)).isEmpty();
    }

    /** The last resize wins in Stripe too: a newer one replaces the schedule's next phase, or releases it when it applies now. */
    @Test
    void aNewerResizeReplacesTheChangeScheduledInStripe() {
        StripePool pool = stripePool(10);
        resizeAtPeriodEnd(pool.poolId(), 4).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> pool(pool.poolId()).get("scheduledChange") != null);
        resizeAtPeriodEnd(pool.poolId(), 6).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> scheduledSeats(pool.poolId()) == 6);
        assertThat(nextPhaseQuantity(pool.subscriptionId())).isEqualTo(6);

        resize(pool.poolId(), 12).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> ((Number) pool(pool.poolId()).get("capacity")).intValue() == 12);
        assertThat(pool(pool.poolId())).containsEntry("scheduledChange", null);
        assertThat(STRIPE.scheduleOf(pool.subscriptionId())).as("the schedule is released").isNull();

        List<Delivery> renewal = STRIPE.renew(pool.subscriptionId());
        assertThat(STRIPE.invoicedQuantities(pool.subscriptionId())).containsExactly(10, 12);
        sendShuffledTwice(renewal);
        awaitApplied(renewal);
        assertThat(pool(pool.poolId())).containsEntry("capacity", 12).containsEntry("overAllocated", 0);
        assertThat(eventsOf(pool.poolId(), SeatCapacityForced.class)).isEmpty();
    }

    /** Stripe's {@code unpaid} is not the end: the pool is suspended with its seats, entitles nobody, and is restored once paid. */
    @Test
    void anUnpaidSubscriptionSuspendsThePoolAndPayingRestoresItsSeats() {
        StripePool pool = stripePool(3);
        claimedBy(pool.poolId(), "holder@example.com", "holder-1");
        String token = invitationToken(assign(pool.poolId(), "invited@example.com"));
        assertThat(entitled("holder-1")).isTrue();

        List<Delivery> failing = new ArrayList<>(STRIPE.failRenewalPayment(pool.subscriptionId()));
        failing.addAll(STRIPE.markUnpaid(pool.subscriptionId()));
        sendShuffledTwice(failing);
        awaitApplied(failing);
        assertThat(pool(pool.poolId())).containsEntry("status", "suspended").containsEntry("claimed", 1).containsEntry("pending", 1);
        await().atMost(PATIENCE).until(() -> !entitled("holder-1"));
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, pool.poolId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "new@example.com")).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("POOL_NOT_ACTIVE");
        api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.canClaim").isEqualTo(false);
        api.as("invited-1", "invited-org", "invited@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("POOL_NOT_ACTIVE");
        assertThat(eventsOf(pool.poolId(), SeatRevoked.class)).as("every seat kept").isEmpty();

        List<Delivery> paid = STRIPE.payOpenInvoice(pool.subscriptionId());
        sendShuffledTwice(paid);
        awaitApplied(paid);
        assertThat(pool(pool.poolId())).containsEntry("status", "active").containsEntry("claimed", 1).containsEntry("pending", 1);
        await().atMost(PATIENCE).until(() -> entitled("holder-1"));
        api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.canClaim").isEqualTo(true);
        assertThat(eventsOf(pool.poolId(), SeatPoolSuspended.class)).hasSize(1);
        assertThat(eventsOf(pool.poolId(), SeatPoolSuspensionLifted.class)).hasSize(1);

        // the reconciliation finds nothing to repair on a suspended pool, and never revokes its seats
        StripePool stillUnpaid = stripePool(2);
        claimedBy(stillUnpaid.poolId(), "other@example.com", "holder-2");
        List<Delivery> unpaid = STRIPE.markUnpaid(stillUnpaid.subscriptionId());
        sendShuffledTwice(unpaid);
        awaitApplied(unpaid);
        assertThat(drifts(reconcile(api.as("reconciler", "ops", "ops@example.com", "service"))))
                .noneMatch(drift -> stillUnpaid.poolId().equals(drift.get("poolId")));
        assertThat(pool(stillUnpaid.poolId())).containsEntry("status", "suspended").containsEntry("claimed", 1);
        // a payment whose webhook was lost: the reconciliation brings what the webhook would have, and only that
        STRIPE.setStatusSilently(stillUnpaid.subscriptionId(), "active");
        assertThat(driftOf(drifts(reconcile(api.as("reconciler", "ops", "ops@example.com", "service"))), stillUnpaid.poolId()))
                .containsEntry("kind", "status_mismatch").containsEntry("action", "repaired");
        await().atMost(PATIENCE).until(() -> "active".equals(pool(stillUnpaid.poolId()).get("status")));
        assertThat(pool(stillUnpaid.poolId())).containsEntry("claimed", 1);
    }

    /** A partial refund is recorded once; a full refund of an order cancels it and revokes its seats ({@code order_refunded}). */
    @Test
    void refundsOfAnOrderDeliveredTwiceAndInAnyOrder() {
        Map<String, Object> opened = manager.post().uri("/api/v1/orgs/{org}/checkout-sessions", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "order", "seats", 3, "pricing", perSeat(1000),
                        "successUrl", "https://app.example.com/paid", "cancelUrl", "https://app.example.com/canceled"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String poolId = (String) opened.get("poolId");
        String sessionId = (String) opened.get("checkoutSessionId");
        List<Delivery> paid = STRIPE.completeCheckout(sessionId);
        deliverAll(paid);
        awaitApplied(paid);
        String seatId = (String) assign(poolId, "buyer@example.com").get("seatId");
        String chargeId = STRIPE.chargeOfSession(sessionId);

        List<Delivery> partial = STRIPE.refund(chargeId, 1000);
        sendShuffledTwice(partial);
        awaitApplied(partial);
        assertThat(pool(poolId)).containsEntry("status", "active").containsEntry("pending", 1);
        assertThat(eventsOf(poolId, PaymentRefunded.class)).singleElement()
                .satisfies(event -> assertThat((PaymentRefunded) event.getPayload()).extracting(PaymentRefunded::amountRefunded, PaymentRefunded::full)
                        .containsExactly(1000L, false));

        List<Delivery> all = new ArrayList<>(partial);
        all.addAll(STRIPE.refund(chargeId, 2000));
        sendShuffledTwice(all);
        awaitApplied(all);
        assertThat(pool(poolId)).containsEntry("status", "canceled").containsEntry("pending", 0);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("revoked");
        assertThat(eventsOf(poolId, SeatRevoked.class)).singleElement()
                .satisfies(event -> assertThat(((SeatRevoked) event.getPayload()).reason()).isEqualTo(RevocationReason.ORDER_REFUNDED));
        assertThat(eventsOf(poolId, PaymentRefunded.class)).hasSize(2);
        // Stripe's money is in Stripe: the pool's charges are only its refunds, with Stripe's charge id
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].kind").isEqualTo("refund").jsonPath("$.items[0].chargeId").isEqualTo(chargeId)
                .jsonPath("$.items[0].amount").isEqualTo(-1000).jsonPath("$.items[0].currency").isEqualTo("eur")
                .jsonPath("$.items[1].kind").isEqualTo("refund").jsonPath("$.items[1].amount").isEqualTo(-2000);
    }

    /** A dispute suspends the pool while open; won restores it, lost cancels it (and its subscription in Stripe), whatever the deliveries. */
    @Test
    void disputesDeliveredTwiceAndInAnyOrder() {
        StripePool won = stripePool(2);
        claimedBy(won.poolId(), "won@example.com", "holder-won");
        List<Delivery> opened = STRIPE.openDispute(STRIPE.latestChargeOf(won.subscriptionId()));
        sendShuffledTwice(opened);
        awaitApplied(opened);
        assertThat(pool(won.poolId())).containsEntry("status", "suspended").containsEntry("claimed", 1);
        await().atMost(PATIENCE).until(() -> !entitled("holder-won"));
        // a subscription webhook in between says paid: the dispute still holds the pool
        List<Delivery> dashboard = STRIPE.changeQuantityInDashboard(won.subscriptionId(), 2);
        deliverAll(dashboard);
        awaitApplied(dashboard);
        assertThat(pool(won.poolId())).containsEntry("status", "suspended");
        assertThat(drifts(reconcile(api.as("reconciler", "ops", "ops@example.com", "service"))))
                .as("Stripe's active subscription is what a disputed pool expects").noneMatch(drift -> won.poolId().equals(drift.get("poolId")));
        assertThat(pool(won.poolId())).containsEntry("status", "suspended");
        String disputeId = disputeIdOf(opened.get(0));
        List<Delivery> closed = new ArrayList<>(opened);
        closed.addAll(STRIPE.closeDispute(disputeId, true));
        sendShuffledTwice(closed);
        awaitApplied(closed);
        assertThat(pool(won.poolId())).containsEntry("status", "active").containsEntry("claimed", 1);
        await().atMost(PATIENCE).until(() -> entitled("holder-won"));

        StripePool lost = stripePool(2);
        String seatId = (String) claimedBy(lost.poolId(), "lost@example.com", "holder-lost").get("seatId");
        List<Delivery> lostDeliveries = new ArrayList<>(STRIPE.openDispute(STRIPE.latestChargeOf(lost.subscriptionId())));
        lostDeliveries.addAll(STRIPE.closeDispute(disputeIdOf(lostDeliveries.get(0)), false));
        sendShuffledTwice(lostDeliveries);
        awaitApplied(lostDeliveries);
        assertThat(pool(lost.poolId())).containsEntry("status", "canceled").containsEntry("claimed", 0);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, lost.poolId(), seatId).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("revoked");
        assertThat(eventsOf(lost.poolId(), SeatRevoked.class)).singleElement()
                .satisfies(event -> assertThat(((SeatRevoked) event.getPayload()).reason()).isEqualTo(RevocationReason.DISPUTE_LOST));
        await().atMost(PATIENCE).until(() -> "canceled".equals(STRIPE.subscription(lost.subscriptionId()).get("status")));
        assertThat(entitled("holder-lost")).isFalse();
    }

    // ---------------------------------------------------------------- helpers

    private void sendShuffledTwice(List<Delivery> deliveries) {
        long seed = System.nanoTime();
        List<Integer> statuses = STRIPE.send("http://localhost:" + port + "/api/v1/billing/stripe/webhook", deliveries, 2, new Random(seed));
        assertThat(statuses).as("seed " + seed).hasSize(deliveries.size() * 2).containsOnly(200);
    }

    private WebTestClient.ResponseSpec resizeAtPeriodEnd(String poolId, int seats) {
        return manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", seats, "effective", "period_end", "prorationBehavior", "none")).exchange();
    }

    @SuppressWarnings("unchecked")
    private int scheduledSeats(String poolId) {
        Map<String, Object> scheduled = (Map<String, Object>) pool(poolId).get("scheduledChange");
        return scheduled == null ? -1 : ((Number) scheduled.get("seats")).intValue();
    }

    @SuppressWarnings("unchecked")
    private static int nextPhaseQuantity(String subscriptionId) {
        List<Map<String, Object>> phases = (List<Map<String, Object>>) STRIPE.scheduleOf(subscriptionId).get("phases");
        assertThat(phases).hasSize(2);
        return ((Number) ((List<Map<String, Object>>) phases.get(1).get("items")).get(0).get("quantity")).intValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> claimedBy(String poolId, String email, String userId) {
        return manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "immediateClaim", true, "userId", userId))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static String invitationToken(Map<String, Object> seat) {
        return (String) ((Map<String, Object>) seat.get("invitation")).get("token");
    }

    private boolean entitled(String userId) {
        Map<?, ?> entitlement = manager.get().uri("/api/v1/orgs/{org}/entitlements/{user}", orgId, userId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return Boolean.TRUE.equals(entitlement.get("entitled"));
    }

    private static String disputeIdOf(Delivery delivery) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(delivery.payload()).path("data").path("object").path("id").asString();
    }


    @SuppressWarnings("unchecked")
    private Map<String, Object> checkout(int seats) {
        return manager.post().uri("/api/v1/orgs/{org}/checkout-sessions", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", seats, "interval", "month", "pricing", perSeat(1200),
                        "successUrl", "https://app.example.com/paid", "cancelUrl", "https://app.example.com/canceled"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private StripePool stripePool(int seats) {
        Map<String, Object> opened = checkout(seats);
        String poolId = (String) opened.get("poolId");
        List<Delivery> deliveries = STRIPE.completeCheckout((String) opened.get("checkoutSessionId"));
        deliverAll(deliveries);
        await().atMost(PATIENCE).until(() -> "active".equals(pool(poolId).get("status")));
        awaitApplied(deliveries);
        Map<String, Object> stripe = stripeOf(pool(poolId));
        new Processors(processing, jdbc).awaitCaughtUp(StripeSync.PROCESSOR);
        return new StripePool(poolId, (String) opened.get("checkoutSessionId"), (String) stripe.get("subscriptionId"),
                (String) stripe.get("subscriptionItemId"));
    }

    private WebTestClient.ResponseSpec deliver(Delivery delivery) {
        return api.anonymous().post().uri("/api/v1/billing/stripe/webhook").contentType(MediaType.APPLICATION_JSON)
                .header("Stripe-Signature", delivery.signature()).bodyValue(delivery.payload()).exchange();
    }

    private void deliverAll(List<Delivery> deliveries) {
        deliveries.forEach(delivery -> deliver(delivery).expectStatus().isOk());
    }

    /** Each delivery applied, and what it changed projected into the read model the assertions read. */
    private void awaitApplied(List<Delivery> deliveries) {
        for (Delivery delivery : deliveries) {
            await().atMost(PATIENCE).until(() -> jdbc.queryForObject(
                    "select count(*) from billing.webhook_events where event_id = ? and processed_at is not null", Integer.class, delivery.eventId()) == 1);
        }
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR);
    }

    private WebTestClient.ResponseSpec resize(String poolId, int seats) {
        return manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", seats, "effective", "now", "prorationBehavior", "create_prorations")).exchange();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> pool(String poolId) {
        return manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stripeOf(Map<String, Object> pool) {
        return (Map<String, Object>) pool.get("stripe");
    }

    private List<DomainEventMessage<?>> eventsOf(String poolId, Class<?> type) {
        return eventStore.readEvents(poolId).asStream().filter(event -> event.getPayloadType().equals(type)).<DomainEventMessage<?>>map(event -> event).toList();
    }

    private double failures() {
        var counter = meters.find("seatledger.billing.sync.failures").tag("operation", "resize").counter();
        return counter == null ? 0 : counter.count();
    }

    private double counted(String meter, String kind) {
        var counter = meters.find(meter).tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitCounters(String poolId) {
        await().atMost(PATIENCE).until(() -> "4".equals(redis.opsForHash().get(CounterKeys.pool(orgId, poolId), "capacity")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reconcile(WebTestClient service) {
        return service.post().uri("/api/v1/billing/reconciliations").exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> drifts(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("drifts");
    }

    private static Map<String, Object> driftOf(List<Map<String, Object>> drifts, String poolId) {
        List<Map<String, Object>> found = drifts.stream().filter(drift -> poolId.equals(drift.get("poolId"))).toList();
        assertThat(found).as("drifts of pool " + poolId).hasSize(1);
        return found.get(0);
    }
}
