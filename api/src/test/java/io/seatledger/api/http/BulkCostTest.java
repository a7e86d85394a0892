package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Processors;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk assignment costs a token per started 100 seats. The test profile gives {@value #LIMITED} a bucket of 8
 * that hardly refills: creating the organization and buying a pool leave 6, a JSON bulk of 250 seats costs 3, so
 * an NDJSON bulk of 350 (4) no longer fits: 429, and nothing of it is stored.
 */
class BulkCostTest extends ApiTest {

    static final String LIMITED = "bulk-limited-org";

    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;

    @Override
    protected String organizationId() {
        return LIMITED;
    }

    @Test
    void aSecondBigBulkIsRefusedOnceTheFirstSpentTheBucket() {
        String poolId = buyPool(600);
        List<Map<String, Object>> first = IntStream.range(0, 250).mapToObj(i -> Map.<String, Object>of("email", "first-" + i + "@example.com")).toList();
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", first)).exchange().expectStatus().isOk();

        String second = IntStream.range(0, 350).mapToObj(i -> "{\"email\":\"second-" + i + "@example.com\"}").collect(Collectors.joining("\n"));
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue(second).exchange()
                .expectStatus().isEqualTo(429).expectHeader().exists("Retry-After").expectHeader().contentType(Api.PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED");

        // every stored event applied: the count is what was stored
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR);
        assertThat(jdbc.queryForObject("select count(*) from read_model.seats where pool_id = ?", Integer.class, poolId)).isEqualTo(250);
    }
}
