package io.seatledger.api.faults;

import io.seatledger.billing.reconciliation.PoolRecount;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatCapacityForced;
import io.seatledger.messages.seatpool.SeatClaimed;
import io.seatledger.messages.seatpool.SeatExpired;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.messages.seatpool.SeatPoolResized;
import io.seatledger.messages.seatpool.SeatRevoked;
import io.seatledger.messages.seatpool.SeatTransferred;
import io.seatledger.query.audit.AuditVerifier;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The oracle of the fault tests: each tenant's pool recounted from the event store alone, the writes the load
 * saw acknowledged looked up there, and every derived copy (read model, Redis counters, audit trail)
 * compared with the recount.
 */
final class Recount {

    /** What the load's acknowledged writes came to: how many, how many the events lack, and the worst over-assignment. */
    record Tally(int acknowledged, int lost, int overAssigned, List<String> lostWrites) {
    }

    private final EventStore events;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final AuditVerifier audit;
    private final Supplier<String> processorStates;

    /** {@code processorStates} describes the processors when the copies do not agree in time, to show which one stood still. */
    Recount(EventStore events, JdbcTemplate jdbc, StringRedisTemplate redis, AuditVerifier audit, Supplier<String> processorStates) {
        this.events = events;
        this.jdbc = jdbc;
        this.redis = redis;
        this.audit = audit;
        this.processorStates = processorStates;
    }

    /**
     * Each acknowledged assignment, claim and revocation must be an event of its pool; folding the pool's
     * events in order, its seats in use must never exceed its capacity.
     */
    Tally tally(List<TenantLoad.Tenant> tenants) {
        int acknowledged = 0;
        int overAssigned = 0;
        List<String> lost = new ArrayList<>();
        for (TenantLoad.Tenant tenant : tenants) {
            Set<String> assigned = new HashSet<>();
            Set<String> claimed = new HashSet<>();
            Set<String> revoked = new HashSet<>();
            Map<String, Boolean> inUse = new HashMap<>();
            int capacity = 0;
            for (DomainEventMessage<?> message : events.readEvents(tenant.poolId()).asStream().toList()) {
                Object event = message.getPayload();
                if (event instanceof SeatPoolPurchased purchased) {
                    capacity = purchased.capacity();
                } else if (event instanceof SeatPoolResized resized) {
                    capacity = resized.capacity();
                } else if (event instanceof SeatCapacityForced forced) {
                    capacity = forced.capacity();
                } else if (event instanceof SeatAssigned seat) {
                    assigned.add(seat.seatId());
                    inUse.put(seat.seatId(), true);
                } else if (event instanceof SeatClaimed seat) {
                    claimed.add(seat.seatId());
                } else if (event instanceof SeatRevoked seat) {
                    revoked.add(seat.seatId());
                    inUse.remove(seat.seatId());
                } else if (event instanceof SeatExpired seat) {
                    inUse.remove(seat.seatId());
                } else if (event instanceof SeatTransferred seat) {
                    inUse.remove(seat.fromSeatId());
                    inUse.put(seat.toSeatId(), true);
                }
                overAssigned = Math.max(overAssigned, inUse.size() - capacity);
            }
            TenantLoad.Acknowledged acked = tenant.acknowledged();
            acknowledged += acked.count();
            missing("assignment", acked.assigned(), assigned, lost);
            missing("claim", acked.claimed(), claimed, lost);
            missing("revocation", acked.revoked(), revoked, lost);
        }
        return new Tally(acknowledged, lost.size(), overAssigned, lost);
    }

    /** Waits until every tenant's copies equal its recount; how long that took. */
    Duration awaitAgreement(List<TenantLoad.Tenant> tenants, Duration atMost) {
        long started = System.nanoTime();
        List<String> differences = differences(tenants);
        while (!differences.isEmpty()) {
            if (System.nanoTime() - started > atMost.toNanos()) {
                throw new AssertionError("the copies did not agree with the events within " + atMost + ": " + differences
                        + "\nprocessors: " + processorStates.get());
            }
            pause();
            differences = differences(tenants);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Every way a tenant's read model, Redis counters or audit trail differs from its events; empty when they agree. */
    List<String> differences(List<TenantLoad.Tenant> tenants) {
        List<String> differences = new ArrayList<>();
        for (TenantLoad.Tenant tenant : tenants) {
            differences.addAll(differences(tenant));
        }
        return differences;
    }

    List<String> differences(TenantLoad.Tenant tenant) {
        List<String> differences = new ArrayList<>();
        String org = tenant.orgId();
        PoolRecount recount = PoolRecount.of(events, tenant.poolId());
        Map<String, Object> readModel = jdbc.queryForList("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?",
                tenant.poolId()).stream().findFirst().orElse(Map.of());
        if (!recount.asRow().equals(readModel)) {
            differences.add(org + " read model " + readModel + " but events " + recount.asRow());
        }
        Map<String, String> expected = new HashMap<>();
        recount.asRow().forEach((field, value) -> expected.put(field, value.toString()));
        Map<String, String> counters = new HashMap<>();
        redis.<String, String>opsForHash().entries(CounterKeys.pool(org, tenant.poolId())).forEach((field, value) -> {
            if (expected.containsKey(field)) {
                counters.put(field, value);
            }
        });
        if (!expected.equals(counters)) {
            differences.add(org + " Redis counters " + counters + " but events " + expected);
        }
        Map<String, String> usage = redis.<String, String>opsForHash().entries(CounterKeys.usage(org));
        Map<String, String> expectedUsage = Map.of("capacity", expected.get("capacity"), "pending", expected.get("pending"),
                "claimed", expected.get("claimed"), "pools", "1");
        if (!usage.entrySet().containsAll(expectedUsage.entrySet())) {
            differences.add(org + " Redis usage " + usage + " but events " + expectedUsage);
        }
        long holders = redis.opsForHash().size(CounterKeys.holders(org, tenant.poolId()));
        if (holders != recount.claimed()) {
            differences.add(org + " Redis holders " + holders + " but events " + recount.claimed() + " claimed");
        }
        List<String> eventIds = Stream.concat(events.readEvents(org).asStream(), events.readEvents(tenant.poolId()).asStream())
                .map(DomainEventMessage::getIdentifier).sorted().toList();
        List<String> audited = jdbc.queryForList("select event_id from audit.entries where org_id = ?", String.class, org).stream().sorted().toList();
        if (!eventIds.equals(audited)) {
            differences.add(org + " audit trail holds " + audited.size() + " entries for " + eventIds.size() + " events");
        } else if (!audit.verify(org).block().valid()) {
            differences.add(org + " audit chain does not verify");
        }
        return differences;
    }

    private static void missing(String what, Set<String> acknowledged, Set<String> stored, List<String> lost) {
        acknowledged.stream().filter(seat -> !stored.contains(seat)).forEach(seat -> lost.add(what + " of seat " + seat));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
