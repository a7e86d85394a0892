package io.seatledger.api.observability;

import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics operators chart (ops/grafana/dashboards) come out of /actuator/prometheus with their units and bounded tags. */
class ObservabilityTest extends ApiTest {

    @org.springframework.beans.factory.annotation.Autowired
    SeatMetrics seatMetrics;

    @Test
    void commandsAreCountedAndTimedByTypeAndOutcomeAndSeatTotalsAreExported() {
        String poolId = buyPool(1);
        assign(poolId, "first@example.com");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "second@example.com")).exchange().expectStatus().isEqualTo(409);

        String scrape = api.anonymous().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape)
                .contains("seatledger_commands_seconds_count{code=\"none\",command=\"AssignSeat\",outcome=\"applied\"}")
                .contains("seatledger_commands_seconds_count{code=\"SEAT_CAPACITY_EXCEEDED\",command=\"AssignSeat\",outcome=\"rejected\"}")
                .contains("seatledger_commands_seconds_bucket{code=\"none\",command=\"PurchaseSeatPool\",outcome=\"applied\",le=")
                .contains("# TYPE seatledger_seats_capacity_seats gauge")
                .contains("# TYPE seatledger_seats_in_use_seats gauge")
                .contains("# TYPE seatledger_seats_pending_seats gauge")
                .contains("# TYPE seatledger_seats_claimed_seats gauge")
                .contains("# TYPE seatledger_seats_utilization gauge")
                .contains("seatledger_projection_lag_events{processor=\"seat-pools\"}")
                .doesNotContain(orgId);
    }

    @Test
    void theSeatTotalsFollowAssignmentsAndClaims() {
        seatMetrics.refresh();
        double capacity = gauge("seatledger_seats_capacity_seats"), pending = gauge("seatledger_seats_pending_seats");
        double claimed = gauge("seatledger_seats_claimed_seats");
        String poolId = buyPool(4);
        Map<String, Object> bea = assign(poolId, "bea@example.com");
        assign(poolId, "cy@example.com");
        api.as("bea", orgId, "bea@example.com").post().uri("/api/v1/invitations/{token}/claim", ((Map<?, ?>) bea.get("invitation")).get("token"))
                .exchange().expectStatus().isOk();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            seatMetrics.refresh();
            assertThat(gauge("seatledger_seats_capacity_seats") - capacity).isEqualTo(4);
            assertThat(gauge("seatledger_seats_pending_seats") - pending).isEqualTo(1);
            assertThat(gauge("seatledger_seats_claimed_seats") - claimed).isEqualTo(1);
        });
        String once = scrape();
        assertThat(gauge(once, "seatledger_seats_utilization")).isCloseTo(
                gauge(once, "seatledger_seats_in_use_seats") / gauge(once, "seatledger_seats_capacity_seats"), org.assertj.core.data.Offset.offset(1e-9));
    }

    private String scrape() {
        return api.anonymous().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private double gauge(String name) {
        return gauge(scrape(), name);
    }

    private static double gauge(String scrape, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape);
        assertThat(value.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(value.group(1));
    }

    @Test
    void theResidentMemoryOfTheProcessIsExported() {
        String scrape = api.anonymous().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher resident = Pattern.compile("(?m)^process_resident_memory_bytes (\\S+)$").matcher(scrape);
        assertThat(resident.find()).as("process_resident_memory_bytes in the scrape").isTrue();
        // A JVM running this service keeps well over 50 MB resident.
        assertThat(Double.parseDouble(resident.group(1))).isGreaterThan(50e6);
    }
}
