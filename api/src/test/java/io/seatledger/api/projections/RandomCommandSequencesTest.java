package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.EventRecount;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.counters.CounterKeys;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For seeded random command sequences — duplicates, rejections and all — a recount from the event store
 * equals both the PostgreSQL read model and the Redis counters, pool by pool. Reproduce a failure with
 * {@code -Dseatledger.seed=<the printed seed>}.
 */
class RandomCommandSequencesTest extends IntegrationTest {

    static final int SEQUENCES = 200;
    static final List<String> ADDRESSES = List.of("a", "b", "c", "d", "e", "f", "g", "h").stream().map(n -> n + "@acme.example").toList();

    @Autowired CommandGateway gateway;
    @Autowired EventStore eventStore;
    @Autowired JdbcTemplate jdbc;
    @Autowired StringRedisTemplate redis;
    @Autowired EventProcessingConfiguration processing;

    @Test
    void aRecountFromTheEventsEqualsBothReadModels() {
        long seed = Long.getLong("seatledger.seed", System.nanoTime());
        Random random = new Random(seed);
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String orgId = tenant.orgId();
        AuditMetadata manager = tenant.manager();
        AuditMetadata provider = Commands.actor("billing", orgId, "service");

        List<String> pools = new ArrayList<>();
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            pools.add(runRandomSequence(random, commands, orgId, manager, provider));
        }
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR, RedisCounterProjection.PROCESSOR);

        for (String poolId : pools) {
            Map<String, Object> recount = EventRecount.of(eventStore, poolId);
            Map<String, Object> row = jdbc.queryForMap("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?", poolId);
            assertThat(row).as("PostgreSQL read model of pool %s (seed %d)", poolId, seed).isEqualTo(recount);
            Map<Object, Object> counters = redis.opsForHash().entries(CounterKeys.pool(orgId, poolId));
            assertThat(Map.of("capacity", counters.get("capacity"), "pending", counters.get("pending"),
                    "claimed", counters.get("claimed"), "status", counters.get("status")))
                    .as("Redis counters of pool %s (seed %d)", poolId, seed)
                    .isEqualTo(Map.of("capacity", recount.get("capacity").toString(), "pending", recount.get("pending").toString(),
                            "claimed", recount.get("claimed").toString(), "status", recount.get("status")));
        }
    }

    private String runRandomSequence(Random random, Commands commands, String orgId, AuditMetadata manager, AuditMetadata provider) {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, 2 + random.nextInt(8), Pricing.perSeat("eur", 1000),
                BillingInterval.MONTH, null), manager);
        List<String> seats = new ArrayList<>();
        Map<String, SeatAssignment> invitations = new HashMap<>();
        int steps = 5 + random.nextInt(25);
        for (int step = 0; step < steps; step++) {
            String email = ADDRESSES.get(random.nextInt(ADDRESSES.size()));
            String anySeat = seats.isEmpty() ? UUID.randomUUID().toString() : seats.get(random.nextInt(seats.size()));
            Object command = switch (random.nextInt(12)) {
                case 0, 1, 2 -> new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), email, false, Map.of());
                case 3 -> new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), email, true, Map.of());
                case 4, 5 -> claimCommand(poolId, invitations.get(anySeat), "user-" + random.nextInt(5));
                case 6 -> new RevokeSeat(poolId, orgId, anySeat);
                case 7 -> new TransferSeat(poolId, orgId, anySeat, UUID.randomUUID().toString(), email);
                case 8 -> new ResizeSeatPool(poolId, orgId, 1 + random.nextInt(12), ResizeTiming.NOW, ProrationBehavior.NONE);
                case 9 -> new ForceSeatCapacity(poolId, orgId, random.nextInt(10));
                case 10 -> new AssignSeats(poolId, orgId, List.of(
                        new SeatRequest(UUID.randomUUID().toString(), email, false, Map.of()),
                        new SeatRequest(UUID.randomUUID().toString(), ADDRESSES.get(random.nextInt(ADDRESSES.size())), random.nextBoolean(), Map.of())),
                        random.nextBoolean());
                default -> random.nextInt(10) == 0 ? new CancelSeatPool(poolId, orgId, false) : new ResendInvitation(poolId, orgId, anySeat);
            };
            if (command == null) {
                continue;
            }
            try {
                Object result = commands.send(command, command instanceof ForceSeatCapacity ? provider : manager);
                remember(result, seats, invitations);
            } catch (RuntimeException refused) {
                // Rejections are part of the sequence: they must leave no trace in any read model.
            }
        }
        return poolId;
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
