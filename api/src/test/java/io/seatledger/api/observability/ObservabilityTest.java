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
                .contains("seatledger_projection_lag_events{processor=\"seat-pools\"}")
                .doesNotContain(orgId);
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
