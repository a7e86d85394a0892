package io.seatledger.api.faults;

import io.seatledger.api.embedded.EmbeddedServers;
import io.seatledger.api.support.Api;
import io.seatledger.api.support.ServiceProcess;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the service while clients assign seats: the JVM dies at once, its embedded PostgreSQL and Redis keep
 * running on the data directory. The next start on that directory stops them, comes up healthy, and every seat it
 * had acknowledged is in the event store and, once the projections caught up, in the read model.
 */
class SigkillRecoveryTest {

    private static final Path ROOT = Path.of("target", "fault-injection");
    private static final int CLIENTS = 8;
    /** Acknowledged assignments before the kill; the clients keep writing while it happens. */
    private static final int BEFORE_KILL = 150;

    @Test
    void aServiceKilledMidWriteStartsAgainWithEveryAcknowledgedWrite() throws Exception {
        String run = "sigkill-" + System.currentTimeMillis();
        Path dataDirectory = ROOT.resolve(run);
        Path log = ROOT.resolve(run + ".log");
        String orgId = Api.newOrgId();
        String managerId = "manager-" + UUID.randomUUID();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();

        ServiceProcess first = ServiceProcess.start(dataDirectory, log);
        ServiceProcess second = null;
        boolean killed = false;
        try {
            first.awaitHealthy(Duration.ofSeconds(90));
            String token = first.api().token(managerId, orgId, managerId + "@example.com");
            WebTestClient manager = first.api().withToken(token);
            manager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Crash " + orgId))
                    .exchange().expectStatus().isCreated();
            String poolId = buyPool(manager, orgId);

            CountDownLatch enough = new CountDownLatch(BEFORE_KILL);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int n = 0; ; n++) {
                        try {
                            EntityExchangeResult<Map> answer = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "c" + client + "-" + n + "@crash.example"))
                                    .exchange().expectBody(Map.class).returnResult();
                            if (answer.getStatus().value() == 201) {
                                acknowledged.add((String) answer.getResponseBody().get("seatId"));
                                enough.countDown();
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (RuntimeException connectionLost) {
                            failed.incrementAndGet();
                            if (!first.isAlive()) {
                                return;
                            }
                        }
                    }
                });
            }
            assertThat(enough.await(60, TimeUnit.SECONDS)).as("acknowledged assignments before the kill").isTrue();
            first.kill();
            killed = true;
            long killedAt = System.nanoTime();
            clients.shutdown();
            assertThat(clients.awaitTermination(70, TimeUnit.SECONDS)).as("every client noticed the service was gone").isTrue();
            assertThat(refused).as("answers other than 201 before the kill").hasValue(0);

            long orphanedPostgres = pid(dataDirectory.resolve("postgres/postmaster.pid"));
            long orphanedRedis = pid(dataDirectory.resolve("redis/redis.pid"));
            assertThat(List.of(orphanedPostgres, orphanedRedis)).as("the embedded servers outlived the killed JVM").allMatch(SigkillRecoveryTest::alive);

            second = ServiceProcess.start(dataDirectory, log);
            Duration startup = second.awaitHealthy(Duration.ofSeconds(60));
            double downtime = (System.nanoTime() - killedAt) / 1e9;
            await("the orphaned servers were stopped").atMost(Duration.ofSeconds(10))
                    .until(() -> List.of(orphanedPostgres, orphanedRedis).stream().noneMatch(SigkillRecoveryTest::alive));

            // A live instance's servers are never taken for orphans: a second start on its directory is refused.
            assertThatThrownBy(() -> EmbeddedServers.forDirectory(new EmbeddedServers.Settings(dataDirectory, false, 0, 0, true), new NoOpLog()))
                    .hasMessageContaining("in use by another running instance");

            WebTestClient managerAgain = second.api().withToken(token);
            Set<String> stored = assignedSeats(managerAgain, orgId, poolId);
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            System.out.printf("SIGKILL fault: %d clients assigning seats, killed after %d acknowledged; %d acknowledged, %d lost, %d stored but not "
                            + "acknowledged, %d requests cut off; restart healthy in %.1f s (%.1f s from the kill)%n", CLIENTS, BEFORE_KILL,
                    acknowledged.size(), lost.size(), stored.size() - (acknowledged.size() - lost.size()), failed.get(),
                    startup.toMillis() / 1000.0, downtime);
            assertThat(lost).as("acknowledged seats missing from the event store after the restart").isEmpty();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pendingSeats(managerAgain, orgId, poolId))
                    .as("the read model caught up with every stored seat").isEqualTo(stored.size()));
        } finally {
            if (second != null && second.isAlive()) {
                second.close();
            } else if (killed) {
                ServiceProcess.stopServersLeftIn(dataDirectory);
            } else {
                first.close();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String buyPool(WebTestClient manager, String orgId) {
        Map<String, Object> pool = manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 20_000, "interval", "month",
                        "pricing", Map.of("currency", "eur", "tiersMode", "volume", "tiers", List.of(Map.of("unitAmount", 900, "flatAmount", 0)))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return (String) pool.get("poolId");
    }

    /** The seats of every SeatAssigned event in the pool's history, read from the event store page by page. */
    @SuppressWarnings("unchecked")
    private static Set<String> assignedSeats(WebTestClient manager, String orgId, String poolId) {
        Set<String> seats = new HashSet<>();
        String after = null;
        do {
            String query = after == null ? "?limit=1000" : "?limit=1000&after=" + after;
            Map<String, Object> page = manager.get().uri("/api/v1/orgs/" + orgId + "/seat-pools/" + poolId + "/history" + query)
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            for (Map<String, Object> event : (List<Map<String, Object>>) page.get("items")) {
                if ("SeatAssigned".equals(event.get("type"))) {
                    seats.add((String) ((Map<String, Object>) event.get("payload")).get("seatId"));
                }
            }
            after = (String) page.get("next");
        } while (after != null);
        return seats;
    }

    private static int pendingSeats(WebTestClient manager, String orgId, String poolId) {
        Map<?, ?> pool = manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (Integer) pool.get("pending");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long pid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    }
}
