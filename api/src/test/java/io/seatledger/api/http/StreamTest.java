package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Commands;
import io.seatledger.messages.seatpool.ApplyPaymentState;
import io.seatledger.messages.seatpool.ApplyProviderState;
import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.ProviderPayment;
import io.seatledger.messages.seatpool.ProviderState;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live feed: ids number the organization's feed ({@code s1}, {@code s2}…), data names the global position; a client that
 * drops and resumes with Last-Event-ID misses nothing and sees nothing twice.
 */
class StreamTest extends ApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS = new ParameterizedTypeReference<>() {
    };

    @Autowired JdbcTemplate jdbc;
    @Autowired CommandGateway gateway;

    @Test
    void aClientThatDisconnectsMidStreamResumesWithoutGapOrDuplicate() throws Exception {
        String poolId = buyPool(45);
        int assignments = 40;
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> load = background.submit(() -> {
            for (int i = 0; i < assignments; i++) {
                assign(poolId, "stream-" + i + "@example.com");
            }
        });
        try {
            List<ServerSentEvent<Map<String, Object>>> first = messages("s0").take(12).collectList().block(Duration.ofSeconds(30));
            assertThat(load.isDone()).as("the client dropped while commands kept flowing").isFalse();
            String resumeFrom = first.get(first.size() - 1).id();
            List<ServerSentEvent<Map<String, Object>>> second = new ArrayList<>();
            messages(resumeFrom).doOnNext(second::add)
                    .takeUntil(event -> seatAssignments(first) + seatAssignments(second) >= assignments)
                    .blockLast(Duration.ofSeconds(60));
            load.get();

            List<ServerSentEvent<Map<String, Object>>> all = new ArrayList<>(first);
            all.addAll(second);
            List<ServerSentEvent<Map<String, Object>>> events = all.stream().filter(event -> !"usage.threshold".equals(event.event())).toList();
            List<Long> ids = events.stream().map(event -> Long.parseLong(event.id().substring(1))).toList();
            assertThat(events).allSatisfy(event -> assertThat(event.id()).startsWith("s"));
            assertThat(ids).as("no duplicate").doesNotHaveDuplicates();
            assertThat(ids).as("in feed order").isSorted();
            List<Long> positions = events.stream().map(event -> ((Number) event.data().get("position")).longValue()).toList();
            List<Long> expected = jdbc.queryForList("""
                    select position from audit.entries where org_id = ? and action in ('SeatPoolPurchased', 'SeatAssigned') order by position""",
                    Long.class, orgId);
            assertThat(positions).as("no gap: every event of the organization, once").containsExactlyInAnyOrderElementsOf(expected);

            ServerSentEvent<Map<String, Object>> purchase = all.get(0);
            assertThat(purchase.event()).isEqualTo("pool.purchased");
            assertThat(purchase.data()).containsEntry("poolId", poolId).containsEntry("capacity", 45).containsEntry("available", 45);
            ServerSentEvent<Map<String, Object>> last = all.stream().filter(event -> "seat.assigned".equals(event.event()))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(last.data()).containsEntry("pending", assignments).containsEntry("available", 45 - assignments).containsKey("seatId");
            assertThat(all).filteredOn(event -> "usage.threshold".equals(event.event()))
                    .singleElement().satisfies(threshold -> assertThat(threshold.data()).containsEntry("threshold", 80).containsEntry("pending", 36));
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aNewClientStartsAtTheHeadAndGetsHeartbeats() {
        String poolId = buyPool(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from audit.entries where org_id = ? and action = 'SeatPoolPurchased'", Long.class, orgId) == 1);
        Flux<ServerSentEvent<Map<String, Object>>> stream = manager.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(EVENTS).getResponseBody();
        List<ServerSentEvent<Map<String, Object>>> received = new ArrayList<>();
        Thread assigner = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            assign(poolId, "head@example.com");
        });
        assigner.start();
        stream.doOnNext(received::add)
                .takeUntil(event -> "heartbeat".equals(event.comment()) && received.stream().anyMatch(e -> "seat.assigned".equals(e.event())))
                .blockLast(Duration.ofSeconds(20));
        List<String> kinds = received.stream().filter(event -> event.event() != null).map(ServerSentEvent::event).collect(Collectors.toList());
        assertThat(kinds).as("history before the connection is not replayed").containsExactly("seat.assigned");
        assertThat(received).anyMatch(event -> "heartbeat".equals(event.comment()));
    }

    /** Each transition into and out of {@code suspended} is a {@code pool.status_changed} message with the status after it. */
    @Test
    void suspensionAndItsEndAreStatusChanges() {
        String poolId = buyPool(2);
        Commands commands = new Commands(gateway);
        for (ProviderPayment payment : List.of(ProviderPayment.UNPAID, ProviderPayment.UNPAID, ProviderPayment.PAID)) {
            commands.send(new ApplyProviderState(poolId, orgId, new ProviderState(payment, null, null, null, null, false), null),
                    Commands.actor("stripe", orgId, "service"));
        }
        commands.send(new ApplyPaymentState(poolId, orgId, new PaymentState("ch_1", 1000, 0, "eur", "dp_1", PaymentState.DisputeStatus.OPEN)),
                Commands.actor("stripe", orgId, "service"));
        commands.send(new ApplyPaymentState(poolId, orgId, new PaymentState("ch_1", 1000, 0, "eur", "dp_1", PaymentState.DisputeStatus.WON)),
                Commands.actor("stripe", orgId, "service"));
        List<ServerSentEvent<Map<String, Object>>> changes = new ArrayList<>();
        messages("0").filter(event -> "pool.status_changed".equals(event.event())).doOnNext(changes::add)
                .take(4).blockLast(Duration.ofSeconds(30));
        assertThat(changes).extracting(event -> event.data().get("status")).containsExactly("suspended", "active", "suspended", "active");
        assertThat(changes).allSatisfy(event -> assertThat(event.data()).containsEntry("poolId", poolId));
    }

    private Flux<ServerSentEvent<Map<String, Object>>> messages(String lastEventId) {
        return manager.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", lastEventId)
                .exchange().expectStatus().isOk().returnResult(EVENTS).getResponseBody()
                .filter(event -> event.event() != null);
    }

    private static long seatAssignments(List<ServerSentEvent<Map<String, Object>>> events) {
        return events.stream().filter(event -> "seat.assigned".equals(event.event())).count();
    }
}
