package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.billing.reconciliation.PoolRecount;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.seatpool.PoolHistory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestContextManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property, checked by jqwik on generated command sequences (duplicates, rejections and all, shrunk to a
 * minimal failing sequence if one fails): a recount from the event store equals the PostgreSQL read model,
 * the Redis counters, the organization's usage in both, and the pool rebuilt "as of now" from its events.
 * Runs in the same Spring context as every other integration test (Spring's context cache).
 */
class RandomCommandSequencesTest extends IntegrationTest {

    static final List<String> ADDRESSES = List.of("a", "b", "c", "d", "e", "f", "g", "h").stream().map(n -> n + "@acme.example").toList();

    @Autowired CommandGateway gateway;
    @Autowired EventStore eventStore;
    @Autowired JdbcTemplate jdbc;
    @Autowired StringRedisTemplate redis;
    @Autowired EventProcessingConfiguration processing;
    @Autowired PoolHistory history;

    /** One generated step: which command, and the choices it draws on. */
    record Step(int command, int address, int otherAddress, int seat, int size, boolean flag) {
    }

    @BeforeProperty
    void injectTheSharedSpringContext() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, ADDRESSES.size() - 1),
                        Arbitraries.integers().between(0, ADDRESSES.size() - 1), Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 12), Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void aRecountFromTheEventsEqualsEveryReadModel(@ForAll("sequences") List<Step> steps, @ForAll("capacities") int capacity) {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String orgId = tenant.orgId();
        String poolId = run(commands, orgId, tenant.manager(), Commands.actor("billing", orgId, "service"), capacity, steps);
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR, RedisCounterProjection.PROCESSOR);

        Map<String, Object> recount = PoolRecount.of(eventStore, poolId).asRow();
        assertThat(jdbc.queryForMap("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?", poolId))
                .as("PostgreSQL read model").isEqualTo(recount);
        Map<Object, Object> counters = redis.opsForHash().entries(CounterKeys.pool(orgId, poolId));
        assertThat(Map.of("capacity", counters.get("capacity"), "pending", counters.get("pending"), "claimed", counters.get("claimed"),
                "status", counters.get("status")))
                .as("Redis counters")
                .isEqualTo(Map.of("capacity", recount.get("capacity").toString(), "pending", recount.get("pending").toString(),
                        "claimed", recount.get("claimed").toString(), "status", recount.get("status")));

        boolean inService = "ACTIVE".equals(recount.get("status"));
        int capacityInService = inService ? (int) recount.get("capacity") : 0;
        int pendingInService = inService ? (int) recount.get("pending") : 0;
        int claimedInService = inService ? (int) recount.get("claimed") : 0;
        Map<String, Object> usage = jdbc.queryForMap("select capacity, pending, claimed from read_model.org_usage where org_id = ?", orgId);
        assertThat(usage).as("PostgreSQL usage").isEqualTo(Map.of("capacity", capacityInService, "pending", pendingInService, "claimed", claimedInService));
        Map<Object, Object> redisUsage = redis.opsForHash().entries(CounterKeys.usage(orgId));
        assertThat(number(redisUsage.get("capacity")) * 1_000_000L + number(redisUsage.get("pending")) * 1_000L + number(redisUsage.get("claimed")))
                .as("Redis usage").isEqualTo(capacityInService * 1_000_000L + pendingInService * 1_000L + claimedInService);

        var asOfNow = history.asOf(orgId, poolId, Instant.now().plusSeconds(3600)).block();
        assertThat(Map.of("capacity", asOfNow.capacity(), "pending", asOfNow.pending(), "claimed", asOfNow.claimed(), "status", asOfNow.status().name()))
                .as("pool rebuilt as of now").isEqualTo(recount);
    }

    @Provide
    Arbitrary<Integer> capacities() {
        return Arbitraries.integers().between(2, 9);
    }

    private String run(Commands commands, String orgId, AuditMetadata manager, AuditMetadata provider, int capacity, List<Step> steps) {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, capacity, Pricing.perSeat("eur", 1000), BillingInterval.MONTH, null), manager);
        List<String> seats = new ArrayList<>();
        Map<String, SeatAssignment> invitations = new HashMap<>();
        for (Step step : steps) {
            String email = ADDRESSES.get(step.address());
            String anySeat = seats.isEmpty() ? UUID.randomUUID().toString() : seats.get(step.seat() % seats.size());
            Object command = switch (step.command()) {
                case 0, 1, 2 -> new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), email, false, null, Map.of());
                case 3 -> new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), email, true, "user-" + step.otherAddress() % 5, Map.of());
                case 4, 5 -> claimCommand(poolId, invitations.get(anySeat), "user-" + step.otherAddress() % 5);
                case 6 -> new RevokeSeat(poolId, orgId, anySeat);
                case 7 -> new TransferSeat(poolId, orgId, anySeat, UUID.randomUUID().toString(), email);
                case 8 -> new ResizeSeatPool(poolId, orgId, 1 + step.size(), ResizeTiming.NOW, ProrationBehavior.NONE);
                case 9 -> new ApplyProviderState(poolId, orgId, new ProviderState(ProviderPayment.PAID, null, Math.min(step.size(), 9), null, null, false), null);
                case 10 -> new AssignSeats(poolId, orgId, List.of(
                        new SeatRequest(UUID.randomUUID().toString(), email, false, null, Map.of()),
                        new SeatRequest(UUID.randomUUID().toString(), ADDRESSES.get(step.otherAddress()), step.flag(),
                                step.flag() ? "user-" + step.address() % 5 : null, Map.of())),
                        step.flag());
                // suspension and its end, for an unpaid renewal and for a dispute
                case 11 -> new ApplyProviderState(poolId, orgId, new ProviderState(step.flag() ? ProviderPayment.UNPAID : ProviderPayment.PAID,
                        null, null, null, null, false), null);
                case 12 -> new ApplyPaymentState(poolId, orgId, new PaymentState("ch_" + step.size() % 2, 1000, 0, "eur", "dp_" + step.size() % 2,
                        step.flag() ? PaymentState.DisputeStatus.OPEN : PaymentState.DisputeStatus.WON));
                default -> step.size() == 0 ? new CancelSeatPool(poolId, orgId, false) : new ResendInvitation(poolId, orgId, anySeat);
            };
            if (command == null) {
                continue;
            }
            try {
                remember(commands.send(command, command instanceof ApplyProviderState || command instanceof ApplyPaymentState ? provider : manager), seats, invitations);
            } catch (RuntimeException refused) {
                // Rejections are part of the sequence: they must leave no trace in any read model.
            }
        }
        return poolId;
    }

    private static long number(Object value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    private static ClaimSeat claimCommand(String poolId, SeatAssignment invitation, String userId) {
        if (invitation == null || invitation.invitation() == null) {
            return null;
        }
        InvitationToken token = InvitationToken.parse(invitation.invitation().token()).orElseThrow();
        return new ClaimSeat(poolId, invitation.seatId(), token.sha256(), userId, invitation.email(), false);
    }

    private static void remember(Object result, List<String> seats, Map<String, SeatAssignment> invitations) {
        if (result instanceof SeatAssignment assignment) {
            seats.add(assignment.seatId());
            invitations.put(assignment.seatId(), assignment);
        } else if (result instanceof BulkAssignment bulk) {
            bulk.assigned().forEach(assignment -> remember(assignment, seats, invitations));
        }
    }
}
