package io.seatledger.api.consistency;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The case that answered stored changes with 503 while answers waited for the read model: two 5,000-seat NDJSON bulk
 * imports into one pool of a tenant while four clients assign (and revoke) seats in another pool of the same tenant.
 * Every stored change is answered 2xx with its position, and a read at that position shows it.
 */
class BulkBesideSinglesTest extends ApiTest {

    private static final int BULK_SEATS = 5_000;
    private static final int CLIENTS = 4;
    private static final int ASSIGNS_PER_CLIENT = 30;

    private record Change(String seatId, String expectedStatus, long position, long millis) {
    }

    @Override
    protected String organizationId() {
        return "bulk-beside-singles-org";
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyStoredChangeIsAnsweredWithItsPositionWhileBulksAreProjected() throws Exception {
        String bulkPool = buyPool(2 * BULK_SEATS);
        String singlesPool = buyPool(CLIENTS * ASSIGNS_PER_CLIENT);
        ExecutorService threads = Executors.newFixedThreadPool(2 + CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Change> changes = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int bulk = 0; bulk < 2; bulk++) {
                int number = bulk;
                work.add(threads.submit(() -> {
                    String lines = IntStream.range(0, BULK_SEATS).mapToObj(i -> "{\"email\":\"bulk" + number + "-" + i + "@example.com\"}")
                            .collect(Collectors.joining("\n"));
                    await(start);
                    long began = System.nanoTime();
                    EntityExchangeResult<byte[]> answer = client().post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, bulkPool)
                            .contentType(MediaType.parseMediaType("application/x-ndjson")).bodyValue(lines).exchange().expectBody().returnResult();
                    record(answer, began, null, "bulk", changes, errors);
                    return null;
                }));
            }
            for (int c = 0; c < CLIENTS; c++) {
                int number = c;
                work.add(threads.submit(() -> {
                    WebTestClient own = client();
                    await(start);
                    for (int i = 0; i < ASSIGNS_PER_CLIENT; i++) {
                        long began = System.nanoTime();
                        EntityExchangeResult<byte[]> answer = own.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, singlesPool)
                                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "single" + number + "-" + i + "@example.com"))
                                .exchange().expectBody().returnResult();
                        String seatId = seatIdOf(answer);
                        Change assigned = record(answer, began, seatId, "pending", changes, errors);
                        if (assigned != null && i % 10 == 9) {
                            began = System.nanoTime();
                            EntityExchangeResult<byte[]> revoked = own.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId,
                                    singlesPool, seatId).exchange().expectBody().returnResult();
                            changes.remove(assigned);
                            record(revoked, began, seatId, "revoked", changes, errors);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(errors).as("error answers to changes").isEmpty();
        List<Change> singles = changes.stream().filter(change -> change.seatId() != null).toList();
        assertThat(singles).hasSize(CLIENTS * ASSIGNS_PER_CLIENT);
        long slowest = singles.stream().mapToLong(Change::millis).max().orElseThrow();
        List<Long> sorted = singles.stream().map(Change::millis).sorted().toList();

        // each change, read at its own position (a read may answer 503 while the bulks are projected: it says when to come back)
        int unavailableReads = 0;
        for (Change change : singles) {
            while (true) {
                EntityExchangeResult<byte[]> read = client().get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}?minPosition={p}", orgId,
                        singlesPool, change.seatId(), change.position()).exchange().expectBody().returnResult();
                if (read.getStatus().value() == 503) {
                    unavailableReads++;
                    Thread.sleep(Duration.ofSeconds(Long.parseLong(read.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))).toMillis());
                    continue;
                }
                assertThat(read.getStatus().value()).isEqualTo(200);
                assertThat(new String(read.getResponseBody())).contains("\"status\":\"" + change.expectedStatus() + "\"");
                break;
            }
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}?minPosition={p}", orgId, bulkPool,
                        changes.stream().mapToLong(Change::position).max().orElseThrow())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.pending").isEqualTo(2 * BULK_SEATS);
        System.out.printf("bulk beside singles: %d answers to changes (2 bulks of %d seats, %d single changes), no error; single answers "
                        + "p50 %d ms, max %d ms; %d of %d reads at their position answered 503 first%n",
                changes.size(), BULK_SEATS, singles.size(), sorted.get(sorted.size() / 2), slowest, unavailableReads, singles.size());
    }

    private WebTestClient client() {
        return api.as(managerId, orgId, managerEmail).mutate().responseTimeout(Duration.ofMinutes(2)).build();
    }

    private static Change record(EntityExchangeResult<byte[]> answer, long began, String seatId, String expectedStatus, List<Change> changes,
                                 List<String> errors) {
        long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        String position = answer.getResponseHeaders().getFirst(Api.POSITION);
        if (!answer.getStatus().is2xxSuccessful() || position == null) {
            errors.add(answer.getStatus() + " " + position + " " + new String(answer.getResponseBody() == null ? new byte[0] : answer.getResponseBody()));
            return null;
        }
        Change change = new Change(seatId, expectedStatus, Long.parseLong(position), millis);
        changes.add(change);
        return change;
    }

    private static String seatIdOf(EntityExchangeResult<byte[]> answer) {
        String body = answer.getResponseBody() == null ? "" : new String(answer.getResponseBody());
        int at = body.indexOf("\"seatId\":\"");
        return at < 0 ? null : body.substring(at + 10, body.indexOf('"', at + 10));
    }

    private static void await(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
