package io.seatledger.api.writemodel;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.Rejection;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.SeatAssigned;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate is the consistency boundary: concurrent requests can never over-assign. */
class ConcurrentAssignmentTest extends IntegrationTest {

    static final int CAPACITY = 100;
    static final int REQUESTS = 1_000;

    @Autowired CommandGateway gateway;
    @Autowired EventStore eventStore;

    @Test
    void thousandConcurrentAssignsFillAHundredSeatsExactly() throws Exception {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String orgId = tenant.orgId();
        AuditMetadata manager = tenant.manager();
        String poolId = SeatScenarios.pool(commands, orgId, manager, CAPACITY);

        ExecutorService clients = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            AssignSeat assign = new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "user" + i + "@acme.example", false, null, Map.of());
            outcomes.add(CompletableFuture.supplyAsync(() -> {
                awaitQuietly(start);
                try {
                    commands.send(assign, manager);
                    return "assigned";
                } catch (RuntimeException failure) {
                    return Rejection.behind(failure).map(Rejection::code).map(ErrorCode::name).orElse("unexpected: " + failure);
                }
            }, clients));
        }
        start.countDown();
        Map<String, Long> byOutcome = outcomes.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting()));
        clients.shutdown();

        assertThat(byOutcome).containsExactlyInAnyOrderEntriesOf(Map.of(
                "assigned", (long) CAPACITY,
                ErrorCode.SEAT_CAPACITY_EXCEEDED.name(), (long) (REQUESTS - CAPACITY)));
        long storedAssignments = eventStore.readEvents(poolId).asStream()
                .filter(event -> event.getPayload() instanceof SeatAssigned).count();
        assertThat(storedAssignments).isEqualTo(CAPACITY);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
