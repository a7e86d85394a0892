package io.seatledger.api.client;

import io.seatledger.api.security.DevTokens;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Processors;
import io.seatledger.projections.audit.AuditTrailProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import io.seatledger.client.EntitlementCache;
import io.seatledger.client.SeatLedgerClient;
import io.seatledger.client.model.AssignSeat;
import io.seatledger.client.model.Seat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The entitlement cache against the running service: it loads what existed before it started, follows claims,
 * revocations and cancellations from the live stream, and resumes without loss when the stream ends in the middle
 * of changes (the service ends a stream when its token expires; the cache reopens it with a fresh token).
 */
class EntitlementCacheFollowsTheServiceTest extends ApiTest {

    /**
     * For the tests that check answers come from memory: a stall of the shared machine (a collection, an earlier test's
     * backlog) must not send them to HTTP. The lag test below sets its own.
     */
    static final Duration NOT_ABOUT_STALENESS = Duration.ofSeconds(30);

    @Autowired DevTokens devTokens;
    @Autowired EventProcessingConfiguration processing;
    @Autowired JdbcTemplate jdbc;

    @Test
    void theCacheLoadsTheHoldersThatExistedBeforeItStartedAndFollowsRevocationsAndCancellation() throws Exception {
        SeatLedgerClient client = client(Duration.ofHours(1));
        String poolId = buyPool(10);
        String otherPoolId = buyPool(10);
        Seat ann = client.pools(orgId).assign(poolId, AssignSeat.claimedBy("ann@example.com", "user-ann"));
        client.pools(orgId).assign(poolId, AssignSeat.claimedBy("bo@example.com", "user-bo"));
        client.pools(orgId).assign(otherPoolId, AssignSeat.claimedBy("cy@example.com", "user-cy"));
        client.pools(orgId).assign(poolId, AssignSeat.invite("pending@example.com"));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.entitlements(orgId).of("user-cy").entitled());

        try (EntitlementCache cache = client.entitlementCache(orgId).pageSize(1).maxStaleness(NOT_ABOUT_STALENESS).start()) {
            assertThat(cache.awaitLive(Duration.ofSeconds(20))).isTrue();
            assertThat(cache.isEntitled("user-ann")).isTrue();
            assertThat(cache.isEntitled("user-bo")).isTrue();
            assertThat(cache.isEntitled("user-cy")).isTrue();
            assertThat(cache.isEntitled("nobody")).isFalse();
            assertThat(cache.users()).isEqualTo(3);

            client.pools(orgId).revoke(poolId, ann.seatId());
            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.isEntitled("user-ann"));
            client.pools(orgId).cancel(poolId, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.isEntitled("user-bo"));
            assertThat(cache.isEntitled("user-cy")).as("another pool of the organization").isTrue();
            assertThat(cache.fallbacks()).as("every answer came from memory").isZero();
        }
    }

    /** Needs stream messages with {@code holderUserId} (issue 17, decision 3, server side). */
    @Test
    void theCacheFollowsNewClaimsFromTheStream() throws Exception {
        SeatLedgerClient client = client(Duration.ofHours(1));
        String poolId = buyPool(10);
        try (EntitlementCache cache = client.entitlementCache(orgId).maxStaleness(NOT_ABOUT_STALENESS).start()) {
            assertThat(cache.awaitLive(Duration.ofSeconds(20))).isTrue();
            assertThat(cache.isEntitled("user-dee")).isFalse();

            Seat dee = client.pools(orgId).assign(poolId, AssignSeat.claimedBy("dee@example.com", "user-dee"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isEntitled("user-dee"));

            String holderId = "holder-" + java.util.UUID.randomUUID();
            Seat invited = client.pools(orgId).assign(poolId, AssignSeat.invite(holderId + "@example.com"));
            assertThat(cache.isEntitled(holderId)).as("an invitation does not entitle").isFalse();
            SeatLedgerClient.builder().baseUrl("http://localhost:" + port).tokens(() -> api.token(holderId, orgId, holderId + "@example.com")).build()
                    .invitations().claim(invited.invitation().token());
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isEntitled(holderId));

            client.pools(orgId).revoke(poolId, dee.seatId());
            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.isEntitled("user-dee"));
            assertThat(cache.fallbacks()).isZero();
        }
    }

    /**
     * Needs stream messages with {@code holderUserId} and a {@code Last-Event-ID} that resumes exactly once (issue 17, decision 3,
     * server side). Tokens live 2 s, so the service ends the cache's stream several times while a writer claims and revokes
     * seats; afterwards the cache agrees with the service about every user.
     */
    @Test
    void theCacheResumesWithoutLossWhenTheStreamEndsInTheMiddleOfChanges() throws Exception {
        SeatLedgerClient client = client(Duration.ofSeconds(2));
        String poolId = buyPool(200);
        int users = 60;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (EntitlementCache cache = client.entitlementCache(orgId).backoff(Duration.ofMillis(50), Duration.ofMillis(500)).maxStaleness(NOT_ABOUT_STALENESS).start()) {
            assertThat(cache.awaitLive(Duration.ofSeconds(20))).isTrue();
            Future<Map<String, Boolean>> changes = writer.submit(() -> {
                Map<String, Boolean> expected = new HashMap<>();
                List<Seat> held = new ArrayList<>();
                for (int i = 0; i < users; i++) {
                    String userId = "churn-" + i;
                    held.add(client.pools(orgId).assign(poolId, AssignSeat.claimedBy(userId + "@example.com", userId)));
                    expected.put(userId, true);
                    if (i % 3 == 2) {
                        Seat revoked = held.get(i - 1);
                        client.pools(orgId).revoke(poolId, revoked.seatId());
                        expected.put(revoked.holderUserId(), false);
                    }
                    Thread.sleep(100);
                }
                return expected;
            });
            Map<String, Boolean> expected = changes.get();

            assertThat(cache.reconnects()).as("the stream ended at least twice during the changes").isGreaterThanOrEqualTo(2);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(cache.isLive()).isTrue();
                long fallbacksBefore = cache.fallbacks();
                Map<String, Boolean> cached = new HashMap<>();
                expected.keySet().forEach(userId -> cached.put(userId, cache.isEntitled(userId)));
                assertThat(cache.fallbacks()).as("answered from memory").isEqualTo(fallbacksBefore);
                assertThat(cached).isEqualTo(expected);
            });
            expected.forEach((userId, entitled) -> assertThat(client.entitlements(orgId).of(userId).entitled()).as(userId).isEqualTo(entitled));
            assertThat(cache.reloads()).as("resumed with Last-Event-ID rather than loaded again each time").isLessThan(cache.reconnects() + 1);
        } finally {
            writer.shutdownNow();
        }
    }

    /**
     * Needs command answers with {@code Seat-Ledger-Position}, reads that wait for it, and stream messages with {@code position}
     * and {@code holderUserId} (issue 17, server side). Following its own writes, the cache never answers from a memory that
     * has not seen this process's last change: checked right after each answer, without waiting.
     */
    @Test
    void followingItsOwnWritesTheCacheAnswersEachChangeRightAfterItsAnswer() throws Exception {
        SeatLedgerClient client = client(Duration.ofHours(1));
        String poolId = buyPool(20);
        try (EntitlementCache cache = client.entitlementCache(orgId).followOwnWrites(true).maxStaleness(NOT_ABOUT_STALENESS).start()) {
            assertThat(cache.awaitLive(Duration.ofSeconds(20))).isTrue();
            for (int i = 0; i < 10; i++) {
                String userId = "own-" + i;
                Seat seat = client.pools(orgId).assign(poolId, AssignSeat.claimedBy(userId + "@example.com", userId));
                assertThat(cache.isEntitled(userId)).as("right after the claim of %s", userId).isTrue();
                client.pools(orgId).revoke(poolId, seat.seatId());
                assertThat(cache.isEntitled(userId)).as("right after the revocation of %s", userId).isFalse();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.appliedPosition() >= client.position(orgId));
            long hits = cache.hits();
            assertThat(cache.isEntitled("own-9")).isFalse();
            assertThat(cache.hits()).as("from memory once the stream showed every write").isEqualTo(hits + 1);
        }
    }

    /**
     * A stream that flows but lags: the processor that writes the feed is stopped, so a revocation is stored and answered
     * but not streamed, while heartbeats keep the stream heard. The stream's lag comments stop claiming newer moments, so
     * within {@code maxStaleness} the cache asks over HTTP (whose entitlement read does not depend on the feed) and says
     * the user is no longer entitled; once the feed runs again, answers come from memory again and agree.
     */
    @Test
    void aStreamWhoseFeedLagsIsNotTrustedAndTheCacheAsksOverHttpMeanwhile() throws Exception {
        SeatLedgerClient client = client(Duration.ofHours(1));
        String poolId = buyPool(10);
        Seat fay = client.pools(orgId).assign(poolId, AssignSeat.claimedBy("fay@example.com", "user-fay"));
        Processors processors = new Processors(processing, jdbc);
        try (EntitlementCache cache = client.entitlementCache(orgId).maxStaleness(Duration.ofSeconds(2)).start()) {
            assertThat(cache.awaitLive(Duration.ofSeconds(20))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.staleness() != null && cache.isEntitled("user-fay"));
            long fromMemory = cache.hits();

            processors.named(AuditTrailProjection.PROCESSOR).shutDown();
            client.pools(orgId).revoke(poolId, fay.seatId());
            long revoked = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> !cache.isEntitled("user-fay"));
            System.out.printf("entitlement cache: a revocation the stream did not send was answered over HTTP after %d ms%n",
                    Duration.ofNanos(System.nanoTime() - revoked).toMillis());
            assertThat(cache.behind()).as("answered over HTTP because the stream said it lagged").isPositive();
            assertThat(cache.lag()).as("the stream was heard all along").isLessThan(Duration.ofSeconds(3));
            assertThat(cache.isLive()).isFalse();
            assertThat(cache.hits()).isGreaterThanOrEqualTo(fromMemory);

            processors.named(AuditTrailProjection.PROCESSOR).start();
            await().atMost(Duration.ofSeconds(20)).until(cache::isLive);
            long hits = cache.hits();
            assertThat(cache.isEntitled("user-fay")).isFalse();
            assertThat(cache.hits()).as("from memory again, which has the revocation").isEqualTo(hits + 1);
            assertThat(cache.reconnects()).as("a lagging stream is waited for, not reopened").isZero();
        } finally {
            if (!processors.named(AuditTrailProjection.PROCESSOR).isRunning()) {
                processors.named(AuditTrailProjection.PROCESSOR).start();
            }
        }
    }

    /** A client of the billing manager whose token supplier mints a fresh token of this validity on every call. */
    private SeatLedgerClient client(Duration validity) {
        return SeatLedgerClient.builder().baseUrl("http://localhost:" + port)
                .tokens(() -> devTokens.issue(managerId, orgId, managerEmail, List.of(), validity)).build();
    }
}
