package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.seatpool.AssignSeat;
import org.axonframework.commandhandling.gateway.CommandGateway;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resuming the live feed: an event committed after events with higher global positions is still delivered, once, to
 * a connected client and to one that resumes with an id sent before that commit; seat messages name the seat's holder
 * as of the event; a Last-Event-ID that is no id of this stream is refused, and another tenant's ids show nothing of it.
 */
class StreamResumeTest extends ApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS = new ParameterizedTypeReference<>() {
    };

    @Autowired JdbcTemplate jdbc;
    @Autowired DatabaseOwner owner;
    @Autowired CommandGateway gateway;
    @Autowired PlatformTransactionManager transactions;

    @Test
    void anEventCommittedLateWithALowerPositionIsDeliveredOnceLiveAndOnResume() throws Exception {
        String latePool = buyPool(5);
        String busyPool = buyPool(20);
        List<ServerSentEvent<Map<String, Object>>> live = new CopyOnWriteArrayList<>();
        Disposable connected = messages(manager, "s0").subscribe(live::add);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> count(live, "pool.purchased") == 2);

            CountDownLatch inserted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            long[] latePosition = new long[1];
            AuditMetadata as = Commands.actor(managerId, orgId);
            // The late event: appended (its global index taken) inside a transaction that commits only after later events did.
            CompletableFuture<Void> lateCommit = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
                new Commands(gateway).send(new AssignSeat(latePool, orgId, UUID.randomUUID().toString(), "late@example.com", false, null, Map.of()), as);
                latePosition[0] = jdbc.queryForObject("select max(global_index) from events.domain_event_entry where aggregate_identifier = ?",
                        Long.class, latePool);
                inserted.countDown();
                try {
                    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(inserted.await(20, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
                assign(busyPool, "busy-" + i + "@example.com");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> count(live, "seat.assigned") == 3);
            assertThat(live).filteredOn(event -> "seat.assigned".equals(event.event()))
                    .as("delivered before the late event committed, with higher positions")
                    .allSatisfy(event -> assertThat(position(event)).isGreaterThan(latePosition[0]));
            String beforeTheLateCommit = live.get(live.size() - 1).id();

            release.countDown();
            lateCommit.get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> live.stream().anyMatch(event -> position(event) == latePosition[0]));
            assign(busyPool, "after@example.com");
            await().atMost(Duration.ofSeconds(20)).until(() -> count(live, "seat.assigned") == 5);

            List<ServerSentEvent<Map<String, Object>>> resumed = messages(manager, beforeTheLateCommit).take(2).collectList().block(Duration.ofSeconds(20));
            assertThat(resumed).extracting(StreamResumeTest::position)
                    .as("a client that resumes with an id sent before the late commit gets the late event, then what followed")
                    .containsExactly(latePosition[0], position(live.get(live.size() - 1)));

            assertThat(live).extracting(StreamResumeTest::position).as("each event once").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(jdbc.queryForList("select position from audit.entries where org_id = ? and action in "
                            + "('SeatPoolPurchased', 'SeatAssigned')", Long.class, orgId));
            List<Long> numbers = live.stream().map(event -> Long.parseLong(event.id().substring(1))).toList();
            assertThat(numbers).as("ids number the feed in the order it grew").isSorted().doesNotHaveDuplicates();
            int late = live.stream().map(StreamResumeTest::position).toList().indexOf(latePosition[0]);
            assertThat(live.subList(0, late)).as("the late event comes after the events committed before it")
                    .filteredOn(event -> "seat.assigned".equals(event.event())).hasSize(3);
        } finally {
            connected.dispose();
        }
    }

    @Test
    void seatMessagesNameTheHolderAsOfTheEvent() {
        String poolId = buyPool(5);
        Map<String, Object> invited = assign(poolId, "bea@example.com");
        @SuppressWarnings("unchecked") String token = (String) ((Map<String, Object>) invited.get("invitation")).get("token");
        api.as("bea", "any-org", "bea@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange().expectStatus().isOk();
        String seatPath = "/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}";
        manager.delete().uri(seatPath, orgId, poolId, invited.get("seatId")).exchange().expectStatus().isOk();
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "cy@example.com", "immediateClaim", true, "userId", "cy")).exchange().expectStatus().isCreated();
        // the read model at the answer's position, before looking into it
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk();
        String cySeat = jdbc.queryForObject("select seat_id from read_model.seats where pool_id = ? and holder_user_id = 'cy'", String.class, poolId);
        manager.post().uri(seatPath + "/transfer", orgId, poolId, cySeat).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "dee@example.com")).exchange().expectStatus().is2xxSuccessful();
        Map<String, Object> pending = assign(poolId, "eve@example.com");
        manager.delete().uri(seatPath, orgId, poolId, pending.get("seatId")).exchange().expectStatus().isOk();

        List<ServerSentEvent<Map<String, Object>>> seats = messages(manager, "s0").filter(event -> event.event().startsWith("seat."))
                .take(8).collectList().block(Duration.ofSeconds(20));
        assertThat(seats).extracting(ServerSentEvent::event).containsExactly("seat.assigned", "seat.claimed", "seat.revoked",
                "seat.assigned", "seat.claimed", "seat.transferred", "seat.assigned", "seat.revoked");
        assertThat(seats).extracting(event -> event.data().get("holderUserId"))
                .as("pending seats have none; a claim names the claimer; a revocation and a transfer the holder who loses the seat")
                .containsExactly(null, "bea", "bea", null, "cy", "cy", null, null);
        assertThat(seats.get(5).data()).containsEntry("seatId", cySeat);
    }

    @Test
    void anIdSentBeforeTheFeedWasNumberedResumesAfterThatGlobalPosition() {
        String poolId = buyPool(10);
        List<Object> seats = IntStream.range(0, 3).mapToObj(i -> assign(poolId, "legacy-" + i + "@example.com").get("seatId")).toList();
        List<ServerSentEvent<Map<String, Object>>> feed = messages(manager, "s0").take(4).collectList().block(Duration.ofSeconds(20));
        String legacyId = String.valueOf(position(feed.get(2)));

        List<ServerSentEvent<Map<String, Object>>> resumed = messages(manager, legacyId).take(1).collectList().block(Duration.ofSeconds(20));
        assertThat(resumed).singleElement().satisfies(event -> {
            assertThat(event.data()).containsEntry("seatId", seats.get(2));
            assertThat(event.id()).as("and from then on, ids are feed numbers").isEqualTo(feed.get(3).id());
        });
    }

    @Test
    void aLastEventIdThatIsNoIdOfThisStreamIsRefused() {
        for (String hostile : List.of("-1", "s-1", "abc", "s", "s12x", "1e3", "+5", "s+5", "99999999999999999999", "s99999999999999999999",
                "9999999999999999999", "s1 s2", "0x10")) {
            JsonNode problem = Api.problem(manager.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM)
                    .header("Last-Event-ID", hostile).exchange(), 400, "VALIDATION_FAILED");
            assertThat(problem.path("errors").path(0).path("field").asString()).as(hostile).isEqualTo("Last-Event-ID");
        }
    }

    @Test
    void anotherTenantsIdsResumeAtThisTenantsOwnFeedAndShowNothingOfTheOther() {
        String otherOrg = Api.newOrgId();
        WebTestClient other = api.as("other-" + UUID.randomUUID(), otherOrg, "other@example.com");
        other.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other")).exchange().expectStatus().isCreated();
        Map<String, Object> otherPool = other.post().uri("/api/v1/orgs/{org}/seat-pools", otherOrg).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 10, "interval", "month", "pricing", perSeat(1500)))
                .exchange().expectStatus().isCreated().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        for (int i = 0; i < 6; i++) {
            other.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", otherOrg, otherPool.get("poolId")).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", "o" + i + "@example.com")).exchange().expectStatus().isCreated();
        }
        List<ServerSentEvent<Map<String, Object>>> othersFeed = messages(other, otherOrg, "s0").take(7).collectList().block(Duration.ofSeconds(20));
        String othersNewestId = othersFeed.get(6).id();
        long othersNewestPosition = position(othersFeed.get(6));

        String poolId = buyPool(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from audit.entries where org_id = ?", Long.class, orgId) == 2);
        for (String foreign : List.of(othersNewestId, "s9223372036854775807", String.valueOf(othersNewestPosition))) {
            List<ServerSentEvent<Map<String, Object>>> received = new CopyOnWriteArrayList<>();
            Disposable stream = connect(manager, orgId, foreign).subscribe(received::add);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(event -> "heartbeat".equals(event.comment())));
                Map<String, Object> seat = assign(poolId, "mine-" + UUID.randomUUID() + "@example.com");
                await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(event -> seat.get("seatId").equals(seatOf(event))));
                List<Long> expected = foreign.startsWith("s") ? List.of(positionOfSeat(seat))
                        : jdbc.queryForList("select position from audit.entries where org_id = ? and position > ? and action in "
                        + "('SeatPoolPurchased', 'SeatAssigned')", Long.class, orgId, othersNewestPosition);
                assertThat(received).filteredOn(event -> event.event() != null)
                        .as("this tenant's own messages after where its feed stands for " + foreign + ", each once")
                        .allSatisfy(event -> assertThat(event.data()).containsEntry("poolId", poolId))
                        .extracting(StreamResumeTest::position).containsExactlyInAnyOrderElementsOf(expected);
            } finally {
                stream.dispose();
            }
        }
    }

    private Flux<ServerSentEvent<Map<String, Object>>> messages(WebTestClient client, String lastEventId) {
        return messages(client, orgId, lastEventId);
    }

    private Flux<ServerSentEvent<Map<String, Object>>> messages(WebTestClient client, String org, String lastEventId) {
        return connect(client, org, lastEventId).filter(event -> event.event() != null);
    }

    /** The stream with its heartbeats. */
    private static Flux<ServerSentEvent<Map<String, Object>>> connect(WebTestClient client, String org, String lastEventId) {
        return client.get().uri("/api/v1/orgs/{org}/stream", org).accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", lastEventId)
                .exchange().expectStatus().isOk().returnResult(EVENTS).getResponseBody();
    }

    private long positionOfSeat(Map<String, Object> seat) {
        return jdbc.queryForObject("select position from audit.entries where seat_id = ? and action = 'SeatAssigned'", Long.class, seat.get("seatId"));
    }

    private static Object seatOf(ServerSentEvent<Map<String, Object>> event) {
        return event.data() == null ? null : event.data().get("seatId");
    }

    private static long position(ServerSentEvent<Map<String, Object>> event) {
        return ((Number) event.data().get("position")).longValue();
    }

    private static long count(List<ServerSentEvent<Map<String, Object>>> events, String kind) {
        return events.stream().filter(event -> kind.equals(event.event())).count();
    }
}
