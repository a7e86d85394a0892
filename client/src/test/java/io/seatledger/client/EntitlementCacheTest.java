package io.seatledger.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.seatledger.client.FakeService.Answer.json;
import static io.seatledger.client.FakeService.Answer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The entitlement cache against a fake service whose stream the test writes: the initial load and the messages of the
 * stream's head, pool statuses, resuming after the service or the client ended the stream, the fallback to HTTP,
 * the memory bound, and a hit that allocates nothing.
 */
class EntitlementCacheTest {

    static final String ORG = "org-1";
    static final String POOLS = "/orgs/org-1/seat-pools";

    FakeService service;
    SeatLedgerClient client;
    AtomicInteger tokens = new AtomicInteger();
    EntitlementCache cache;

    @BeforeEach
    void start() throws IOException {
        service = new FakeService();
        client = SeatLedgerClient.builder().baseUrl(service.baseUrl()).tokens(() -> "token-" + tokens.incrementAndGet())
                .retryPolicy(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
        service.close();
    }

    @Test
    void theLoadedStateAndTheMessagesAfterTheHeadMakeTheAnswersWhateverTheirOrder() throws Exception {
        service.on("GET", POOLS, json(200, "{\"items\":[" + pool("p1", "active") + "," + pool("p2", "past_due") + "," + pool("p3", "canceled")
                + "],\"next\":null}"));
        service.on("GET", POOLS + "/p1/seats", json(200, seats("c2", seat("s1", "p1", "alice"))), json(200, seats(null, seat("s2", "p1", "bob"))));
        service.on("GET", POOLS + "/p2/seats", json(200, seats(null, seat("s3", "p2", "carol"))));
        service.on("GET", "/orgs/org-1/entitlements/carol", json(200, "{\"userId\":\"carol\",\"entitled\":true,\"seats\":[]}"));
        cache = client.entitlementCache(ORG).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start();

        FakeService.Stream stream = service.nextStream();
        assertThat(stream.request.header("Last-Event-ID")).as("a new cache starts at the head").isNull();
        stream.message(5, "seat.revoked", data("p1", "s1", "active", "alice"));
        assertThat(cache.awaitLive(Duration.ofSeconds(10))).isTrue();

        assertThat(cache.isEntitled("alice")).as("revoked after the head: the stream's message wins over the loaded seat").isFalse();
        assertThat(cache.isEntitled("bob")).as("loaded from the second page").isTrue();
        assertThat(cache.isEntitled("dave")).as("holds nothing").isFalse();
        assertThat(cache.hits()).isEqualTo(3);
        assertThat(cache.isEntitled("carol")).as("a past-due pool's grace is not on the stream: asked over HTTP").isTrue();
        assertThat(cache.fallbacks()).isEqualTo(1);
        assertThat(service.requests("GET", POOLS + "/p3/seats")).as("a canceled pool has no claimed seats").isEmpty();
        assertThat(service.requests("GET", POOLS + "/p1/seats")).extracting(FakeService.Seen::query)
                .containsExactly("status=claimed&limit=1000", "status=claimed&cursor=c2&limit=1000");

        stream.message(6, "seat.claimed", data("p1", "s4", "active", "dave"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isEntitled("dave"));
        stream.message(7, "pool.status_changed", "{\"poolId\":\"p1\",\"status\":\"suspended\",\"capacity\":5}");
        await().atMost(Duration.ofSeconds(5)).until(() -> !cache.isEntitled("bob") && !cache.isEntitled("dave"));
        stream.message(8, "pool.status_changed", "{\"poolId\":\"p1\",\"status\":\"active\",\"capacity\":5}");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isEntitled("bob"));
        assertThat(cache.lastEventId()).isEqualTo("8");
        assertThat(cache.messages()).isEqualTo(4);
        assertThat(cache.reloads()).isEqualTo(1);
    }

    @Test
    void aStreamTheServiceEndsIsReopenedAtOnceWithAFreshTokenAndLastEventIdAndNothingIsLoadedAgain() throws Exception {
        emptyOrganization();
        List<Throwable> downs = new CopyOnWriteArrayList<>();
        cache = client.entitlementCache(ORG).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).listener(new EntitlementCache.Listener() {
            @Override
            public void down(Throwable cause) {
                downs.add(cause == null ? new RuntimeException("ended by the service") : cause);
            }
        }).start();
        FakeService.Stream first = service.nextStream();
        first.send(": heartbeat\n\n").message(1, "seat.claimed", data("p1", "s1", "active", "erin"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive() && cache.isEntitled("erin"));
        String firstToken = first.request.header("Authorization");

        first.send(": token expired; reconnect with a fresh token and Last-Event-ID\n\n").end();
        FakeService.Stream second = service.nextStream();
        assertThat(second.request.header("Last-Event-ID")).isEqualTo("1");
        assertThat(second.request.header("Authorization")).isNotEqualTo(firstToken);
        second.message(2, "seat.revoked", data("p1", "s1", "active", "erin"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive() && !cache.isEntitled("erin"));

        assertThat(cache.reconnects()).isEqualTo(1);
        assertThat(cache.reloads()).as("resumed, not reloaded").isEqualTo(1);
        assertThat(service.requests("GET", POOLS)).hasSize(1);
        assertThat(downs).hasSize(1);
    }

    @Test
    void aSilentStreamIsClosedByTheClientAndResumedAndMeanwhileAnswersComeFromHttp() throws Exception {
        liveWithErinWhomHttpSaysIsRevoked(client.entitlementCache(ORG).maxSilence(Duration.ofMillis(300)));
        assertThat(cache.isEntitled("erin")).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> !cache.isLive());
        assertThat(cache.isEntitled("erin")).as("memory is not trusted once the stream is silent").isFalse();
        assertThat(cache.fallbacks()).isEqualTo(1);

        FakeService.Stream second = service.nextStream();
        assertThat(second.request.header("Last-Event-ID")).isEqualTo("3");
        second.send(": heartbeat\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive());
        assertThat(cache.isEntitled("erin")).isTrue();
        assertThat(cache.reloads()).isEqualTo(1);
    }

    /**
     * A stream that flows (heartbeats arrive) but says it is behind the store is not trusted: answers go to HTTP and are
     * counted as {@code behind} until it says it is current again. Before the first {@code lag} comment (a service that
     * sends none) memory is trusted as long as the stream is heard.
     */
    @Test
    void aStreamThatSaysItLagsIsNotTrustedUntilItSaysItCaughtUp() throws Exception {
        FakeService.Stream stream = liveWithErinWhomHttpSaysIsRevoked(client.entitlementCache(ORG).maxStaleness(Duration.ofMillis(1000)));
        assertThat(cache.staleness()).as("no lag comment yet").isNull();
        assertThat(cache.isEntitled("erin")).isTrue();

        stream.send(": lag 40\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.staleness() != null);
        assertThat(cache.isEntitled("erin")).as("current as of 40 ms ago").isTrue();

        stream.send(": lag 2000\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> !cache.isLive());
        assertThat(cache.staleness()).as("a lag of 2 s said later does not undo the newer 40 ms").isLessThan(Duration.ofMillis(2000));

        // heartbeats keep coming, but no further lag comment: the last one ages past maxStaleness
        for (int i = 0; i < 4; i++) {
            stream.send(": heartbeat\n\n");
            Thread.sleep(300);
        }
        assertThat(cache.lag()).as("the stream is heard").isLessThan(Duration.ofMillis(1000));
        assertThat(cache.staleness()).isGreaterThan(Duration.ofMillis(1000));
        assertThat(cache.isLive()).isFalse();
        assertThat(cache.isEntitled("erin")).as("asked over HTTP, which has the revocation the stream has not sent").isFalse();
        assertThat(cache.behind()).isEqualTo(1);
        assertThat(cache.fallbacks()).isEqualTo(1);

        stream.send(": lag 10\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive());
        assertThat(cache.isEntitled("erin")).isTrue();
        assertThat(cache.behind()).isEqualTo(1);
        assertThat(cache.reconnects()).as("a lagging stream is waited for, not reopened").isZero();
    }

    /**
     * While answers go over HTTP, a user checked many times is asked once per {@code reuseHttpAnswersFor}, not once per
     * check: a busy product would otherwise flood the service just when it is behind.
     */
    @Test
    void whileBehindAUserCheckedOftenIsAskedOverHttpOncePerReuseInterval() throws Exception {
        FakeService.Stream stream = liveWithErinWhomHttpSaysIsRevoked(client.entitlementCache(ORG).maxStaleness(Duration.ofMillis(100))
                .reuseHttpAnswersFor(Duration.ofMillis(400)));
        stream.send(": lag 5000\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> !cache.isLive());
        for (int i = 0; i < 200; i++) {
            assertThat(cache.isEntitled("erin")).isFalse();
        }
        assertThat(service.requests("GET", "/orgs/org-1/entitlements/erin")).as("one request for 200 checks").hasSize(1);
        assertThat(cache.reused()).isEqualTo(199);
        assertThat(cache.fallbacks()).isEqualTo(200);

        Thread.sleep(450);
        assertThat(cache.isEntitled("erin")).isFalse();
        assertThat(service.requests("GET", "/orgs/org-1/entitlements/erin")).as("asked again once the answer is older than the interval")
                .hasSize(2);
    }

    /**
     * With the default settings (not following its own writes), an HTTP answer asked before this client's own write is
     * not reused after it: the client's reads must reflect its writes, and the next answer is asked at that position.
     */
    @Test
    void anHttpAnswerIsNotReusedAfterThisClientsOwnWrite() throws Exception {
        FakeService.Stream stream = liveWithErinWhomHttpSaysIsRevoked(client.entitlementCache(ORG).maxStaleness(Duration.ofMillis(100))
                .reuseHttpAnswersFor(Duration.ofSeconds(30)));
        service.on("DELETE", POOLS + "/p1/seats/s2", new FakeService.Answer(200, Map.of("Content-Type", "application/json",
                "Seat-Ledger-Position", "60"), "{\"seatId\":\"s2\",\"poolId\":\"p1\",\"orgId\":\"org-1\",\"status\":\"revoked\"}"));
        stream.send(": lag 5000\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> !cache.isLive());
        assertThat(cache.isEntitled("erin")).isFalse();
        assertThat(cache.isEntitled("erin")).isFalse();
        assertThat(service.requests("GET", "/orgs/org-1/entitlements/erin")).as("reused within the interval").hasSize(1);

        client.pools(ORG).revoke("p1", "s2");
        assertThat(cache.isEntitled("erin")).isFalse();
        List<FakeService.Seen> asked = service.requests("GET", "/orgs/org-1/entitlements/erin");
        assertThat(asked).as("asked again after the client's own write").hasSize(2);
        assertThat(asked.get(1).header("Seat-Ledger-Position")).isEqualTo("60");
        assertThat(cache.isEntitled("erin")).isFalse();
        assertThat(service.requests("GET", "/orgs/org-1/entitlements/erin")).as("and that answer is reused").hasSize(2);
    }

    /**
     * A {@code lag} comment that arrived while the cache was loading is read only after the load: it says how current the
     * stream was when it arrived, not when it is read, so memory is not trusted for the load's duration.
     */
    @Test
    void aLagCommentReadLateCountsFromWhenItCouldHaveArrived() throws Exception {
        emptyOrganization();
        service.slow("GET", POOLS, Duration.ofMillis(1500));
        cache = client.entitlementCache(ORG).maxStaleness(Duration.ofMillis(1000)).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start();
        FakeService.Stream stream = service.nextStream();
        stream.send(": position 0\n\n: lag 0\n\n");
        assertThat(cache.awaitLive(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.staleness() != null);
        assertThat(cache.staleness()).as("counted from before the load, not from when the comment was read")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(cache.isLive()).isFalse();

        stream.send(": lag 0\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive());
        assertThat(cache.staleness()).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void whileTheStreamIsRefusedAnswersComeFromHttpAndARefusedResumeLoadsEverythingAgain() throws Exception {
        emptyOrganization();
        service.on("GET", "/orgs/org-1/entitlements/frank", json(200, "{\"userId\":\"frank\",\"entitled\":true,\"seats\":[]}"));
        service.refuseStreams(problem(503, "UNAVAILABLE", Map.of("Retry-After", "0")));
        cache = client.entitlementCache(ORG).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.reconnects() >= 2);

        assertThat(cache.isEntitled("frank")).isTrue();
        assertThat(cache.fallbacks()).isEqualTo(1);
        assertThat(cache.hits()).isZero();

        service.refuseStreams(null);
        FakeService.Stream stream = service.nextStream();
        stream.message(10, "seat.claimed", data("p1", "s1", "active", "frank"));
        assertThat(cache.awaitLive(Duration.ofSeconds(5))).isTrue();
        service.refuseStreams(problem(400, "VALIDATION_FAILED", Map.of()));
        stream.end();
        await().atMost(Duration.ofSeconds(5)).until(() -> service.requests("GET", "/orgs/org-1/stream").stream()
                .anyMatch(request -> "10".equals(request.header("Last-Event-ID"))));
        service.refuseStreams(null);

        FakeService.Stream fresh = service.nextStream();
        assertThat(fresh.request.header("Last-Event-ID")).as("the refused id is not sent again").isNull();
        fresh.send(": heartbeat\n\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.reloads() == 2 && cache.isLive());
    }

    @Test
    void holdersBeyondTheMemoryBoundAreNotKeptAndUsersMemoryDoesNotHoldAreAskedOverHttp() throws Exception {
        service.on("GET", POOLS, json(200, "{\"items\":[" + pool("p1", "active") + "],\"next\":null}"));
        service.on("GET", POOLS + "/p1/seats", json(200, seats(null, seat("s1", "p1", "u1"), seat("s2", "p1", "u2"), seat("s3", "p1", "u3"))));
        service.on("GET", "/orgs/org-1/entitlements/u3", json(200, "{\"userId\":\"u3\",\"entitled\":true,\"seats\":[]}"));
        service.on("GET", "/orgs/org-1/entitlements/nobody", json(200, "{\"userId\":\"nobody\",\"entitled\":false,\"seats\":[]}"));
        AtomicInteger overflows = new AtomicInteger();
        cache = client.entitlementCache(ORG).maxUsers(2).listener(new EntitlementCache.Listener() {
            @Override
            public void overflowed(int maxUsers) {
                overflows.incrementAndGet();
            }
        }).start();
        service.nextStream().send(": heartbeat\n\n");
        assertThat(cache.awaitLive(Duration.ofSeconds(5))).isTrue();

        assertThat(cache.users()).isEqualTo(2);
        assertThat(cache.overflowed()).isTrue();
        assertThat(overflows).hasValue(1);
        assertThat(cache.isEntitled("u1")).isTrue();
        assertThat(cache.isEntitled("u2")).isTrue();
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.isEntitled("u3")).as("left out of memory, not denied").isTrue();
        assertThat(cache.isEntitled("nobody")).isFalse();
        assertThat(cache.fallbacks()).as("without the bound 'nobody' would be a hit; over it, unknown users are asked").isEqualTo(2);
    }

    @Test
    void anAnswerFromMemoryAllocatesNothing() throws Exception {
        emptyOrganization();
        cache = client.entitlementCache(ORG).start();
        service.nextStream().message(1, "seat.claimed", data("p1", "s1", "active", "alice"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive() && cache.messages() == 1);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int entitled = 0;
        for (int i = 0; i < 200_000; i++) {
            entitled += (cache.isEntitled("alice") ? 1 : 0) + (cache.isEntitled("bob") ? 1 : 0);
        }

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            entitled += (cache.isEntitled("alice") ? 1 : 0) + (cache.isEntitled("bob") ? 1 : 0);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(entitled).isEqualTo(300_000);
        // One object per answer would be at least 16 bytes x 200,000 = 3.2 MB; what the JIT or the VM allocate on
        // the thread meanwhile (a few KB at most) is not the answers'.
        assertThat(allocated).as("200,000 answers: less than a third of a byte each").isLessThan(64 * 1024);
        assertThat(cache.fallbacks()).isZero();
    }

    @Test
    void followingItsOwnWritesTheCacheAsksOverHttpUntilTheStreamShowsThem() throws Exception {
        emptyOrganization();
        service.on("DELETE", POOLS + "/p1/seats/s1", new FakeService.Answer(200, Map.of("Content-Type", "application/json",
                "Seat-Ledger-Position", "50"), "{\"seatId\":\"s1\",\"poolId\":\"p1\",\"orgId\":\"org-1\",\"status\":\"revoked\"}"));
        service.on("GET", "/orgs/org-1/entitlements/gil", json(200, "{\"userId\":\"gil\",\"entitled\":false,\"seats\":[]}"));
        cache = client.entitlementCache(ORG).followOwnWrites(true).start();
        FakeService.Stream stream = service.nextStream();
        stream.message(1, "seat.claimed", positioned(40, data("p1", "s1", "active", "gil")));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive() && cache.appliedPosition() == 40);
        assertThat(cache.isEntitled("gil")).isTrue();

        client.pools(ORG).revoke("p1", "s1");

        assertThat(cache.isEntitled("gil")).as("the revocation this client made, asked over HTTP").isFalse();
        assertThat(cache.fallbacks()).isEqualTo(1);
        assertThat(service.requests("GET", "/orgs/org-1/entitlements/gil").get(0).header("Seat-Ledger-Position")).isEqualTo("50");
        stream.message(2, "seat.revoked", positioned(50, data("p1", "s1", "active", "gil")));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.appliedPosition() == 50);
        long hits = cache.hits();
        assertThat(cache.isEntitled("gil")).isFalse();
        assertThat(cache.hits()).as("answered from memory once the stream showed the write").isEqualTo(hits + 1);
        assertThat(cache.fallbacks()).isEqualTo(1);
    }

    private static String positioned(long position, String data) {
        return "{\"position\":" + position + "," + data.substring(1);
    }

    /** A live cache whose memory holds erin's claimed seat, while the service, asked over HTTP, says she is no longer entitled. */
    private FakeService.Stream liveWithErinWhomHttpSaysIsRevoked(EntitlementCache.Builder builder) throws InterruptedException {
        emptyOrganization();
        service.on("GET", "/orgs/org-1/entitlements/erin", json(200, "{\"userId\":\"erin\",\"entitled\":false,\"seats\":[]}"));
        cache = builder.backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start();
        FakeService.Stream stream = service.nextStream();
        stream.message(3, "seat.claimed", data("p1", "s1", "active", "erin"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.isLive());
        return stream;
    }

    private void emptyOrganization() {
        service.on("GET", POOLS, json(200, "{\"items\":[],\"next\":null}"));
    }

    private static String pool(String poolId, String status) {
        return "{\"poolId\":\"" + poolId + "\",\"orgId\":\"org-1\",\"kind\":\"subscription\",\"status\":\"" + status + "\",\"capacity\":5}";
    }

    private static String seat(String seatId, String poolId, String holder) {
        return "{\"seatId\":\"" + seatId + "\",\"poolId\":\"" + poolId + "\",\"orgId\":\"org-1\",\"status\":\"claimed\",\"email\":\"" + holder
                + "@example.com\",\"holderUserId\":\"" + holder + "\"}";
    }

    private static String seats(String next, String... seats) {
        return "{\"items\":[" + String.join(",", seats) + "],\"next\":" + (next == null ? "null" : "\"" + next + "\"") + "}";
    }

    private static String data(String poolId, String seatId, String status, String holder) {
        return "{\"poolId\":\"" + poolId + "\",\"seatId\":\"" + seatId + "\",\"status\":\"" + status + "\",\"capacity\":5,\"pending\":0,\"claimed\":1,"
                + "\"available\":4,\"overAllocated\":0,\"threshold\":null,\"holderUserId\":\"" + holder + "\"}";
    }
}
