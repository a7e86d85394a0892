package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.EventClock;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Instant;
import java.util.Map;

/** A newer resize replaces a change scheduled for the period's end, in the answer, the pool and the pool as of an instant. */
class ScheduledResizeHttpTest extends ApiTest {

    @Test
    void anIncreaseNowLeavesNoStaleScheduledDecrease() {
        String poolId = buyPool(10);
        resize(poolId, 5, "period_end").expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(10).jsonPath("$.scheduledChange.seats").isEqualTo(5);
        resize(poolId, 20, "now").expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(20).jsonPath("$.scheduledChange").isEmpty();
        Instant afterResizes = EventClock.aMillisecondLater();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(20).jsonPath("$.scheduledChange").isEmpty();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}?asOf={at}", orgId, poolId, afterResizes.toString()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(20).jsonPath("$.scheduledChange").isEmpty();
    }

    @Test
    void aNewerScheduledChangeIsTheOneShown() {
        String poolId = buyPool(10);
        resize(poolId, 5, "period_end").expectStatus().isOk();
        resize(poolId, 7, "period_end").expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(10).jsonPath("$.scheduledChange.seats").isEqualTo(7);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.scheduledChange.seats").isEqualTo(7);
    }

    private WebTestClient.ResponseSpec resize(String poolId, int seats, String effective) {
        return manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", seats, "effective", effective, "prorationBehavior", "none")).exchange();
    }
}
