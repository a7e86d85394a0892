package io.seatledger.api.query;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.EventClock;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.Page;
import io.seatledger.query.audit.AuditEntry;
import io.seatledger.query.audit.AuditFilter;
import io.seatledger.query.audit.AuditFormats;
import io.seatledger.query.audit.AuditReader;
import io.seatledger.query.entitlement.Entitlement;
import io.seatledger.query.entitlement.EntitlementReader;
import io.seatledger.query.seatpool.PoolHistory;
import io.seatledger.query.seatpool.SeatPoolReader;
import io.seatledger.query.seatpool.SeatPoolView;
import io.seatledger.query.seatpool.SeatView;
import io.seatledger.query.usage.Usage;
import io.seatledger.query.usage.UsageReader;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The readers: pages, tenancy, Redis and PostgreSQL agreeing, time travel, raw history and audit exports. */
class QuerySideTest extends IntegrationTest {

    static final String[] PROJECTIONS = {SeatPoolProjection.PROCESSOR, RedisCounterProjection.PROCESSOR, AuditTrailProjection.PROCESSOR};

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;
    @Autowired SeatPoolReader pools;
    @Autowired UsageReader usage;
    @Autowired EntitlementReader entitlements;
    @Autowired PoolHistory history;
    @Autowired AuditReader audit;

    private Commands commands;
    private Processors processors;
    private String orgId;
    private AuditMetadata manager;

    @BeforeEach
    void anOrganization() {
        commands = new Commands(gateway);
        processors = new Processors(processing, jdbc);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        orgId = tenant.orgId();
        manager = tenant.manager();
    }

    @Test
    void poolsAndSeatsArePagedByCursorInTheOrderTheyCame() {
        List<String> poolIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            poolIds.add(purchase(3));
        }
        String poolId = poolIds.get(0);
        List<String> seatIds = new ArrayList<>();
        for (String email : List.of("a@acme.example", "b@acme.example", "c@acme.example")) {
            SeatAssignment seat = commands.send(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), email, false, null, Map.of("team", "core")), manager);
            seatIds.add(seat.seatId());
        }
        commands.send(new RevokeSeat(poolId, orgId, seatIds.get(1)), manager);
        processors.awaitCaughtUp(SeatPoolProjection.PROCESSOR);

        Page<SeatPoolView> first = pools.pools(orgId, null, null, 2).block();
        Page<SeatPoolView> second = pools.pools(orgId, null, first.next(), 2).block();
        Page<SeatPoolView> last = pools.pools(orgId, null, second.next(), 2).block();
        List<String> paged = new ArrayList<>();
        List.of(first, second, last).forEach(page -> page.items().forEach(pool -> paged.add(pool.poolId())));
        assertThat(paged).containsExactlyInAnyOrderElementsOf(poolIds).doesNotHaveDuplicates();
        assertThat(last.items()).hasSize(1);
        assertThat(last.next()).isNull();
        assertThat(pools.pools(orgId, PoolStatus.CANCELED, null, null).block().items()).isEmpty();

        SeatPoolView pool = pools.pool(orgId, poolId).block();
        assertThat(pool.capacity()).isEqualTo(3);
        assertThat(pool.pending()).isEqualTo(2);
        assertThat(pool.available()).isEqualTo(1);
        assertThat(pool.pricing()).isEqualTo(Pricing.perSeat("eur", 1500));

        Page<SeatView> seats = pools.seats(orgId, poolId, null, null, 2).block();
        assertThat(seats.items()).extracting(SeatView::seatId).containsExactly(seatIds.get(0), seatIds.get(1));
        assertThat(pools.seats(orgId, poolId, null, seats.next(), 2).block().items()).extracting(SeatView::seatId).containsExactly(seatIds.get(2));
        assertThat(pools.seats(orgId, poolId, SeatStatus.REVOKED, null, null).block().items()).extracting(SeatView::seatId).containsExactly(seatIds.get(1));
        SeatView seat = pools.seat(orgId, poolId, seatIds.get(0)).block();
        assertThat(seat.email()).isEqualTo("a@acme.example");
        assertThat(seat.metadata()).containsEntry("team", "core");
    }

    @Test
    void anotherTenantSeesNothing() {
        String poolId = purchase(3);
        processors.awaitCaughtUp(SeatPoolProjection.PROCESSOR);
        String otherOrg = SeatScenarios.organization(commands).orgId();

        assertThat(pools.pool(otherOrg, poolId).blockOptional()).isEmpty();
        assertThat(pools.pools(otherOrg, null, null, null).block().items()).isEmpty();
        assertThat(history.asOf(otherOrg, poolId, Instant.now()).blockOptional()).isEmpty();
        assertThat(history.events(otherOrg, poolId, null, null).block().items()).isEmpty();
        assertThat(usage.usage(otherOrg).block()).isEqualTo(Usage.NONE);
    }

    @Test
    void badCursorsAndLimitsAreValidationFailures() {
        for (String cursor : List.of("not-a-cursor", "bm9wZQ", "MTIz")) {
            assertThatThrownBy(() -> pools.pools(orgId, null, cursor, null).block())
                    .isInstanceOfSatisfying(SeatLedgerException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        }
        for (int limit : new int[]{0, -1, 1001}) {
            assertThatThrownBy(() -> pools.pools(orgId, null, null, limit).block())
                    .isInstanceOfSatisfying(SeatLedgerException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        }
    }

    @Test
    void usageAndEntitlementsCountOnlyPoolsInService() {
        String active = SeatScenarios.poolThroughALifecycle(commands, orgId, manager);
        String canceled = SeatScenarios.poolThroughALifecycle(commands, orgId, manager);
        commands.send(new CancelSeatPool(canceled, orgId, false), manager);
        processors.awaitCaughtUp(PROJECTIONS);

        assertThat(usage.usage(orgId).block()).isEqualTo(new Usage(8, 1, 1, 6, 1));
        Entitlement ada = entitlements.entitlement(orgId, "user-ada").block();
        assertThat(ada.entitled()).isTrue();
        assertThat(ada.seats()).extracting(Entitlement.HeldSeat::poolId).containsExactly(active);
        assertThat(entitlements.entitlement(orgId, "user-unknown").block()).isEqualTo(Entitlement.of("user-unknown", List.of()));
    }

    @Test
    void aPoolAsOfAnyInstantIsRebuiltFromItsEvents() {
        // Each command stored in a later millisecond than the one before (EventClock).
        String poolId = purchase(3);
        EventClock.aMillisecondLater();
        commands.send(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "a@acme.example", true, "user-a", Map.of()), manager);
        EventClock.aMillisecondLater();
        commands.send(new ResizeSeatPool(poolId, orgId, 5, ResizeTiming.NOW, ProrationBehavior.NONE), manager);
        EventClock.aMillisecondLater();
        commands.send(new CancelSeatPool(poolId, orgId, false), manager);
        processors.awaitCaughtUp(SeatPoolProjection.PROCESSOR);
        Map<String, Instant> occurred = new java.util.HashMap<>();
        List<PoolHistory.Entry> events = history.events(orgId, poolId, null, null).block().items();
        events.forEach(entry -> occurred.putIfAbsent(entry.type(), entry.occurredAt()));
        String timeline = events.stream().map(entry -> entry.type() + "@" + entry.occurredAt()).toList().toString();

        SeatPoolView purchased = history.asOf(orgId, poolId, occurred.get("SeatPoolPurchased")).block();
        assertThat(purchased.capacity()).isEqualTo(3);
        assertThat(purchased.pending() + purchased.claimed()).isZero();
        assertThat(purchased.status()).isEqualTo(PoolStatus.ACTIVE);
        SeatPoolView resized = history.asOf(orgId, poolId, occurred.get("SeatPoolResized")).block();
        assertThat(resized.capacity()).isEqualTo(5);
        assertThat(resized.claimed()).as(timeline).isEqualTo(1);
        assertThat(resized.status()).isEqualTo(PoolStatus.ACTIVE);
        SeatPoolView now = history.asOf(orgId, poolId, Instant.now().plusSeconds(60)).block();
        assertThat(now.status()).isEqualTo(PoolStatus.CANCELED);
        assertThat(inMicroseconds(now)).isEqualTo(pools.pool(orgId, poolId).block());
        assertThat(history.asOf(orgId, poolId, occurred.get("SeatPoolPurchased").minusMillis(1)).blockOptional()).isEmpty();
    }

    /** The read model keeps PostgreSQL's microseconds (rounded to the nearest). */
    private static SeatPoolView inMicroseconds(SeatPoolView view) {
        java.util.function.UnaryOperator<Instant> micros = instant -> instant == null ? null
                : instant.plusNanos(500).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        BillingPeriod period = view.currentPeriod() == null ? null : new BillingPeriod(micros.apply(view.currentPeriod().start()), micros.apply(view.currentPeriod().end()));
        return new SeatPoolView(view.poolId(), view.orgId(), view.kind(), view.status(), view.interval(), view.capacity(), view.pending(), view.claimed(),
                view.pricing(), period, view.cancelAtPeriodEnd(), view.scheduledChange(), view.stripe(), view.version(), micros.apply(view.createdAt()));
    }

    @Test
    void aPoolsRawHistoryComesPageByPageWithoutSecrets() {
        String poolId = SeatScenarios.poolThroughALifecycle(commands, orgId, manager);
        processors.awaitCaughtUp(AuditTrailProjection.PROCESSOR);

        Page<PoolHistory.Entry> first = history.events(orgId, poolId, null, 3).block();
        assertThat(first.items()).extracting(PoolHistory.Entry::sequence).containsExactly(0L, 1L, 2L);
        assertThat(first.items().get(0).type()).isEqualTo("SeatPoolPurchased");
        assertThat(first.items().get(0).metadata().actor().userId()).isEqualTo(manager.actorId());
        assertThat(first.items()).allSatisfy(entry -> {
            assertThat(entry.globalPosition()).isNotNull();
            assertThat(entry.payload().has("invitationTokenHash")).isFalse();
            assertThat(entry.metadata().requestId()).isNotBlank();
        });
        List<PoolHistory.Entry> all = new ArrayList<>(first.items());
        Long after = Long.valueOf(first.next());
        while (after != null) {
            Page<PoolHistory.Entry> page = history.events(orgId, poolId, after, 3).block();
            all.addAll(page.items());
            after = page.next() == null ? null : Long.valueOf(page.next());
        }
        List<Long> sequences = all.stream().map(PoolHistory.Entry::sequence).toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates().hasSize(sequences.get(sequences.size() - 1).intValue() + 1);
        List<Long> positions = all.stream().map(PoolHistory.Entry::globalPosition).toList();
        assertThat(positions).isSorted();
    }

    @Test
    void theAuditTrailIsFilteredPagedStreamedAndRendered() {
        String poolId = SeatScenarios.poolThroughALifecycle(commands, orgId, manager);
        processors.awaitCaughtUp(AuditTrailProjection.PROCESSOR);

        List<AuditEntry> everything = audit.stream(orgId, AuditFilter.ALL).collectList().block();
        assertThat(everything).extracting(AuditEntry::position).isSorted();
        assertThat(everything.get(0).action()).isEqualTo("OrganizationCreated");
        assertThat(everything).allSatisfy(entry -> assertThat(entry.details().toString()).doesNotContain("invitationTokenHash"));

        Page<AuditEntry> page = audit.page(orgId, AuditFilter.ALL, 4).block();
        assertThat(page.items()).containsExactlyElementsOf(everything.subList(0, 4));
        AuditFilter rest = new AuditFilter(Long.valueOf(page.next()), null, null, null, null);
        assertThat(audit.stream(orgId, rest).collectList().block()).containsExactlyElementsOf(everything.subList(4, everything.size()));

        List<AuditEntry> assigned = audit.stream(orgId, new AuditFilter(null, null, null, null, "SeatAssigned")).collectList().block();
        assertThat(assigned).hasSize(3).allSatisfy(entry -> assertThat(entry.poolId()).isEqualTo(poolId));
        assertThat(audit.stream(orgId, new AuditFilter(null, null, null, "user-ada", null)).collectList().block())
                .extracting(AuditEntry::action).containsExactly("SeatClaimed");
        assertThat(audit.stream(orgId, new AuditFilter(null, everything.get(everything.size() - 1).occurredAt().plusSeconds(1), null, null, null))
                .collectList().block()).isEmpty();

        AuditEntry claim = assigned.get(0);
        assertThat(AuditFormats.pgaudit(claim)).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z " + manager.actorId() + " LOG:  AUDIT: SESSION," + claim.position()
                        + ",1,WRITE,SeatAssigned,seat," + claim.seatId() + ",\"\\{.*\"\"email\"\":\"\"ada@acme.example\"\".*\\}\",\"\\{.*\"\"hash\"\":\"\"" + claim.hash()
                        + "\"\".*\"\"sequence\"\":" + claim.sequence() + "\\}\"\n");
        String csv = AuditFormats.csv(claim);
        assertThat(csv).startsWith(claim.position() + ",").endsWith("," + claim.prevHash() + "," + claim.hash() + "," + claim.orgId() + ","
                + claim.aggregateId() + "," + claim.sequence() + "\r\n");
        assertThat(AuditFormats.CSV_HEADER.split(",")).hasSize(17);
        assertThat(AuditFormats.ndjson(claim)).doesNotContain("\n\n").endsWith("}\n").contains("\"position\":" + claim.position());
    }

    private String purchase(int seats) {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, seats, Pricing.perSeat("eur", 1500), BillingInterval.MONTH, null), manager);
        return poolId;
    }
}
