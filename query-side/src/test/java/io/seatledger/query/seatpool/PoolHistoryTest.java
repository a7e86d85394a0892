package io.seatledger.query.seatpool;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.ProrationBehavior;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatClaimed;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.messages.seatpool.SeatPoolResized;
import io.seatledger.query.Page;
import io.seatledger.query.ReadModelRows;
import io.seatledger.query.ReadPath;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PoolHistory}: a pool's raw events page by page, with the global positions the audit trail gave them and without
 * secrets, and its state as of an instant, folded from the event store (Axon's, in memory here); another tenant asking
 * for the pool reads nothing.
 */
class PoolHistoryTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private final ReadPath path = ReadPath.get();
    private final EmbeddedEventStore events = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    private final Replays replays = new Replays(1, 4, 2);
    private final PoolHistory history = new PoolHistory(events, path.tenant(), replays);
    private final String orgId = "org-" + UUID.randomUUID();
    private final String poolId = "pool-" + UUID.randomUUID();
    private final AuditMetadata manager = new AuditMetadata("user-manager", Set.of("seat-manager"), "request-1", "new hires", orgId);

    @AfterEach
    void close() {
        replays.destroy();
        events.shutDown();
    }

    @Test
    void eventsArePagedWithTheirPositionsAndWithoutSecrets() {
        String purchaseId = record(0, purchased(), T0);
        record(1, new SeatAssigned(poolId, orgId, "seat-1", "ada@example.com", "secret-hash", T0.plusSeconds(86_400), Map.of(), T0), T0.plusSeconds(1));
        record(2, new SeatClaimed(poolId, orgId, "seat-1", "user-ada", T0.plusSeconds(2)), T0.plusSeconds(2));
        long position = ReadModelRows.nextPosition();
        new ReadModelRows(path.database()).auditEntry(new CanonicalEntry(position, orgId, poolId, 0, T0, "user-manager", "seat-manager", "request-1",
                "new hires", "SeatPoolPurchased", "seat_pool", poolId, poolId, null, "{}", null, "0".repeat(64)), purchaseId);

        Page<PoolHistory.Entry> first = history.events(orgId, poolId, null, 2).block();
        Page<PoolHistory.Entry> rest = history.events(orgId, poolId, Long.parseLong(first.next()), 2).block();

        assertThat(first.items()).extracting(PoolHistory.Entry::type).containsExactly("SeatPoolPurchased", "SeatAssigned");
        assertThat(first.items()).extracting(PoolHistory.Entry::globalPosition).containsExactly(position, null);
        assertThat(first.next()).isEqualTo("1");
        assertThat(rest.items()).extracting(PoolHistory.Entry::type).containsExactly("SeatClaimed");
        assertThat(rest.next()).isNull();
        PoolHistory.Entry assignment = first.items().get(1);
        assertThat(assignment.payload().has("invitationTokenHash")).isFalse();
        assertThat(assignment.payload().get("email").asString()).isEqualTo("ada@example.com");
        assertThat(assignment.occurredAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(assignment.metadata()).isEqualTo(new PoolHistory.EventMetadata(new PoolHistory.Actor("user-manager", Set.of("seat-manager")),
                "request-1", "new hires"));
    }

    @Test
    void aPoolsStateAsOfAnInstantIsFoldedFromItsEventsUpToThen() {
        record(0, purchased(), T0);
        record(1, new SeatAssigned(poolId, orgId, "seat-1", "ada@example.com", null, null, Map.of(), T0.plusSeconds(10)), T0.plusSeconds(10));
        record(2, new SeatPoolResized(poolId, orgId, 4, 9, ProrationBehavior.NONE, T0.plusSeconds(20)), T0.plusSeconds(20));

        SeatPoolView before = history.asOf(orgId, poolId, T0.minusSeconds(1)).blockOptional().orElse(null);
        SeatPoolView between = history.asOf(orgId, poolId, T0.plusSeconds(15)).block();
        SeatPoolView now = history.asOf(orgId, poolId, T0.plusSeconds(30)).block();

        assertThat(before).as("the pool did not exist yet").isNull();
        assertThat(between.capacity()).isEqualTo(4);
        assertThat(between.pending()).isEqualTo(1);
        assertThat(between.version()).isEqualTo(1);
        assertThat(now.capacity()).isEqualTo(9);
        assertThat(now.version()).isEqualTo(2);
    }

    @Test
    void anotherTenantReadsNothingOfThePool() {
        record(0, purchased(), T0);
        String otherOrgId = "org-" + UUID.randomUUID();

        assertThat(history.events(otherOrgId, poolId, null, null).block().items()).isEmpty();
        assertThat(history.asOf(otherOrgId, poolId, T0.plusSeconds(1)).blockOptional()).isEmpty();
    }

    private SeatPoolPurchased purchased() {
        return new SeatPoolPurchased(poolId, orgId, PoolKind.ORDER, 4, Pricing.perSeat("eur", 700), BillingInterval.YEAR, PoolStatus.ACTIVE, null, null, T0);
    }

    /** Stores {@code event} as the pool's event at {@code sequence}, recorded at {@code at}; its message id. */
    private String record(long sequence, OrganizationEvent event, Instant at) {
        String id = UUID.randomUUID().toString();
        events.publish(new GenericDomainEventMessage<>("SeatPool", poolId, sequence, event, manager.asMap(), id, at));
        return id;
    }
}
