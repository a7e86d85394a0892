package io.seatledger.billing.reconciliation;

import com.stripe.model.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.billing.BillingActor;
import io.seatledger.billing.reconciliation.CacheRepair.Cache;
import io.seatledger.billing.reconciliation.Drift.Action;
import io.seatledger.billing.reconciliation.Drift.Kind;
import io.seatledger.billing.stripe.StripeFailure;
import io.seatledger.billing.stripe.StripeGateway;
import io.seatledger.billing.stripe.StripeStates;
import io.seatledger.billing.sync.StripeLinks;
import io.seatledger.billing.sync.StripeLinks.Link;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.messages.seatpool.ApplyProviderState;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.ProviderPayment;
import io.seatledger.messages.seatpool.ProviderState;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Compares, pool by pool, five views of the same seats: Stripe's subscription, the event-sourced pool
 * (a recount from its events), the PostgreSQL read model and the Redis counters. Repairs only in safe
 * directions: a stale read model or cache is rebuilt from the events; Stripe's state is applied to the pool
 * when that takes nothing from anyone (a payment that arrived, a quantity still covering the seats in use);
 * everything else is reported for review. Each run and its findings are kept. Without a Stripe account
 * ({@code stripe} null) only our own copies are compared.
 */
public class Reconciliation {

    /** How long a projection may be behind the events before its difference counts as drift, not lag. */
    private static final Duration LAG_PATIENCE = Duration.ofSeconds(5);
    private static final Set<String> ENDED_STATUSES = Set.of("canceled", "incomplete_expired");

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final EventStore events;
    private final StripeGateway stripe;
    private final StripeLinks links;
    private final CommandGateway commands;
    private final CacheRepair repair;
    private final ReconciliationStore store;
    private final Clock clock;
    private final Duration gracePeriod;
    private final MeterRegistry meters;

    public Reconciliation(JdbcTemplate jdbc, StringRedisTemplate redis, EventStore events, StripeGateway stripe, StripeLinks links,
                          CommandGateway commands, CacheRepair repair, ReconciliationStore store, Clock clock, Duration gracePeriod,
                          MeterRegistry meters) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.events = events;
        this.stripe = stripe;
        this.links = links;
        this.commands = commands;
        this.repair = repair;
        this.store = store;
        this.clock = clock;
        this.gracePeriod = gracePeriod;
        this.meters = meters;
    }

    public ReconciliationReport run(String requestedBy) {
        UUID id = UUID.randomUUID();
        Instant startedAt = now();
        Map<String, Subscription> subscriptions = new HashMap<>();
        if (stripe != null) {
            stripe.eachSubscription(subscription -> subscriptions.put(subscription.getId(), subscription));
        }
        Map<String, Link> linked = new HashMap<>();
        links.all().forEach(link -> linked.put(link.poolId(), link));

        Set<String> poolIds = new TreeSet<>(jdbc.queryForList("select pool_id from read_model.seat_pools", String.class));
        poolIds.addAll(linked.keySet());
        List<Drift> drifts = new ArrayList<>();
        EnumSet<Cache> stale = EnumSet.noneOf(Cache.class);
        int inSync = 0;
        for (String poolId : poolIds) {
            List<Drift> found = checkPool(id, poolId, linked.get(poolId), subscriptions, stale);
            drifts.addAll(found);
            inSync += found.isEmpty() ? 1 : 0;
        }
        if (stripe != null) {
            drifts.addAll(orphansInStripe(subscriptions, linked, poolIds));
        }
        if (!stale.isEmpty()) {
            repair.rebuild(stale);
        }

        ReconciliationReport report = new ReconciliationReport(id, startedAt, now(), poolIds.size(), inSync, drifts);
        store.save(report, requestedBy);
        drifts.forEach(this::count);
        return report;
    }

    private List<Drift> checkPool(UUID run, String poolId, Link link, Map<String, Subscription> subscriptions, EnumSet<Cache> stale) {
        PoolRecount recount = PoolRecount.of(events, poolId);
        List<Drift> drifts = new ArrayList<>();
        if (!recount.exists()) {
            // a read-model row or link without any event: only a rebuild from the events can remove it
            drifts.add(new Drift(null, poolId, Kind.CACHE_DRIFT, Map.of("events", "none"), Map.of("where", "read_model"), Action.REPAIRED));
            stale.add(Cache.READ_MODEL);
            return drifts;
        }
        cacheDrift(recount, stale).ifPresent(drifts::add);
        if (stripe != null && link != null && link.kind() == PoolKind.SUBSCRIPTION && link.stripe().subscriptionId() != null) {
            drifts.addAll(stripeDrifts(run, recount, link, subscriptions));
        }
        return drifts;
    }

    // ---------------------------------------------------------------- our own copies

    private java.util.Optional<Drift> cacheDrift(PoolRecount recount, EnumSet<Cache> stale) {
        Instant giveUp = clock.instant().plus(LAG_PATIENCE);
        while (true) {
            Map<String, Object> readModel = readModel(recount.poolId());
            Map<String, Object> counters = counters(recount.orgId(), recount.poolId());
            boolean readModelRight = recount.asRow().equals(readModel);
            boolean countersRight = countersMatch(recount, counters);
            if (readModelRight && countersRight) {
                return java.util.Optional.empty();
            }
            if (!clock.instant().isBefore(giveUp)) {
                // the read model is named first: the counters are rebuilt from it
                Cache where = readModelRight ? Cache.REDIS : Cache.READ_MODEL;
                if (!countersRight) {
                    stale.add(Cache.REDIS);
                }
                stale.add(where);
                Map<String, Object> remote = lowerCaseStatus(where == Cache.REDIS ? counters : readModel);
                remote.put("where", where.name().toLowerCase());
                return java.util.Optional.of(new Drift(recount.orgId(), recount.poolId(), Kind.CACHE_DRIFT, lowerCaseStatus(recount.asRow()), remote,
                        Action.REPAIRED));
            }
            pause();
        }
    }

    private Map<String, Object> readModel(String poolId) {
        return jdbc.query("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?",
                (rs, row) -> Map.<String, Object>of("capacity", rs.getInt("capacity"), "pending", rs.getInt("pending"), "claimed", rs.getInt("claimed"),
                        "status", rs.getString("status")), poolId).stream().findFirst().orElse(Map.of());
    }

    private Map<String, Object> counters(String orgId, String poolId) {
        Map<Object, Object> hash = redis.opsForHash().entries(CounterKeys.pool(orgId, poolId));
        Map<String, Object> counters = new LinkedHashMap<>();
        for (String field : List.of("capacity", "pending", "claimed", "status")) {
            if (hash.get(field) != null) {
                counters.put(field, hash.get(field).toString());
            }
        }
        return counters;
    }

    /** Statuses in findings as on the wire (lower case), whichever copy they come from. */
    private static Map<String, Object> lowerCaseStatus(Map<String, Object> counts) {
        Map<String, Object> view = new LinkedHashMap<>(counts);
        view.computeIfPresent("status", (field, status) -> status.toString().toLowerCase());
        return view;
    }

    /** PostgreSQL keeps microseconds: the report read back equals the one answered. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static boolean countersMatch(PoolRecount recount, Map<String, Object> counters) {
        Map<String, Object> expected = new HashMap<>();
        recount.asRow().forEach((field, value) -> expected.put(field, value.toString()));
        return expected.equals(counters);
    }

    // ---------------------------------------------------------------- Stripe

    private List<Drift> stripeDrifts(UUID run, PoolRecount recount, Link link, Map<String, Subscription> subscriptions) {
        Subscription subscription = subscriptions.get(link.stripe().subscriptionId());
        if (subscription == null) {
            try {
                subscription = stripe.subscription(link.stripe().subscriptionId());
            } catch (StripeFailure failure) {
                if (!failure.notFound()) {
                    throw failure;
                }
                return List.of(new Drift(recount.orgId(), recount.poolId(), Kind.ORPHAN_LOCAL, local(recount),
                        Map.of("subscriptionId", link.stripe().subscriptionId(), "found", false), Action.NEEDS_REVIEW));
            }
        }
        ProviderState remote = StripeStates.of(subscription, link.stripe().subscriptionItemId(), null);
        Map<String, Object> remoteView = new LinkedHashMap<>();
        remoteView.put("subscriptionId", subscription.getId());
        remoteView.put("status", subscription.getStatus());
        remoteView.put("quantity", remote.quantity());

        boolean statusDiffers = expectedPayment(recount) != remote.payment();
        boolean quantityDiffers = !recount.resizeInFlight() && recount.status() != PoolStatus.CANCELED && remote.quantity() != null
                && !recount.bills(remote.quantity());
        if (!statusDiffers && !quantityDiffers) {
            return List.of();
        }
        // Stripe saying paid only activates, recovers or lifts an unpaid suspension (a dispute's stays: the subscription
        // does not show it); whatever else Stripe says, it is for a person to look at, never to revoke seats over.
        boolean statusSafe = !statusDiffers || (remote.payment() == ProviderPayment.PAID
                && (recount.status() == PoolStatus.AWAITING_PAYMENT || recount.status() == PoolStatus.PAST_DUE || recount.unpaid()));
        boolean quantitySafe = !quantityDiffers || remote.quantity() >= recount.occupied();
        Action action = statusSafe && quantitySafe ? Action.REPAIRED : Action.NEEDS_REVIEW;
        if (action == Action.REPAIRED) {
            apply(run, recount, remote);
        }
        List<Drift> drifts = new ArrayList<>();
        if (statusDiffers) {
            drifts.add(new Drift(recount.orgId(), recount.poolId(), Kind.STATUS_MISMATCH, local(recount), remoteView, action));
        }
        if (quantityDiffers) {
            drifts.add(new Drift(recount.orgId(), recount.poolId(), Kind.QUANTITY_MISMATCH, local(recount), remoteView, action));
        }
        return drifts;
    }

    private List<Drift> orphansInStripe(Map<String, Subscription> subscriptions, Map<String, Link> linked, Set<String> knownPools) {
        Set<String> linkedSubscriptions = new TreeSet<>();
        linked.values().forEach(link -> {
            if (link.stripe().subscriptionId() != null) {
                linkedSubscriptions.add(link.stripe().subscriptionId());
            }
        });
        List<Drift> orphans = new ArrayList<>();
        subscriptions.values().stream()
                .filter(subscription -> !ENDED_STATUSES.contains(subscription.getStatus()))
                .filter(subscription -> !linkedSubscriptions.contains(subscription.getId()))
                .filter(subscription -> StripeStates.poolOf(subscription.getMetadata()).map(pool -> !knownPools.contains(pool.poolId())).orElse(true))
                .sorted(java.util.Comparator.comparing(Subscription::getId))
                .forEach(subscription -> {
                    var pool = StripeStates.poolOf(subscription.getMetadata());
                    Map<String, Object> remote = new LinkedHashMap<>();
                    remote.put("subscriptionId", subscription.getId());
                    remote.put("status", subscription.getStatus());
                    orphans.add(new Drift(pool.map(StripeStates.PoolRef::orgId).orElse(null), pool.map(StripeStates.PoolRef::poolId).orElse(null),
                            Kind.ORPHAN_STRIPE, null, remote, Action.NEEDS_REVIEW));
                });
        return orphans;
    }

    private void apply(UUID run, PoolRecount recount, ProviderState remote) {
        ApplyProviderState command = new ApplyProviderState(recount.poolId(), recount.orgId(), remote, clock.instant().plus(gracePeriod));
        BillingActor.send(commands, command, recount.orgId(), "reconciliation:" + run + ":" + recount.poolId(), "reconciliation");
    }

    /** What Stripe's subscription should say of the pool; a pool suspended only over a dispute is paid as far as the subscription shows. */
    private static ProviderPayment expectedPayment(PoolRecount recount) {
        return switch (recount.status()) {
            case AWAITING_PAYMENT -> ProviderPayment.PENDING;
            case ACTIVE -> ProviderPayment.PAID;
            case PAST_DUE -> ProviderPayment.PAST_DUE;
            case SUSPENDED -> recount.unpaid() ? ProviderPayment.UNPAID : ProviderPayment.PAID;
            case CANCELED -> ProviderPayment.ENDED;
        };
    }

    private static Map<String, Object> local(PoolRecount recount) {
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("status", recount.status().name().toLowerCase());
        local.put("capacity", recount.capacity());
        local.put("billedSeats", recount.billedSeats());
        local.put("pending", recount.pending());
        local.put("claimed", recount.claimed());
        return local;
    }

    private void count(Drift drift) {
        String kind = drift.kind().name().toLowerCase();
        Counter.builder("seatledger.billing.drift.found").description("Drifts found by reconciliations, by kind").tag("kind", kind)
                .register(meters).increment();
        if (drift.action() == Action.REPAIRED) {
            Counter.builder("seatledger.billing.drift.repaired").description("Drifts repaired by reconciliations, by kind").tag("kind", kind)
                    .register(meters).increment();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
