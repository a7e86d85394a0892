package io.seatledger.api.query;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.AuditExports;
import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.ChainVerifier;
import io.seatledger.auditformat.CsvLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every export format carries every input of every hash: an auditor who reads nothing but one export recomputes each
 * entry's hash and the organization's root, and gets what the service's own verification says. A doctored export fails.
 */
class AuditExportsTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private String headHash;
    private long entries;

    @BeforeEach
    void aTrailWithAwkwardText() {
        String poolId = buyPool(5);
        Map<String, Object> ada = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .header("Seat-Ledger-Reason", "%3DSUM(A1)%2C%20%22quoted%22")
                .bodyValue(Map.of("email", "zo\u00eb@example.com", "metadata", Map.of("team", "R&D \"core\" \\ \u00e9 \uD83D\uDE00", "'lead", "-1")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assign(poolId, "bob@example.com");
        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, ada.get("seatId"))
                .header("Seat-Ledger-Reason", "'%3D1%2B1%20left").exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> ndjson().contains("\"action\":\"SeatRevoked\""));
        JsonNode verdict = JSON.readTree(manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(verdict.get("valid").asBoolean()).isTrue();
        headHash = verdict.get("headHash").asString();
        entries = verdict.get("entries").asLong();
    }

    @Test
    void ndjsonRecomputesEveryHashAndTheRoot() {
        List<CanonicalEntry> parsed = ndjson().lines().map(line -> AuditExports.entry(JSON.readTree(line))).toList();
        assertRecomputed(parsed);
        assertThat(parsed).anySatisfy(entry -> assertThat(entry.reason()).isEqualTo("=SUM(A1), \"quoted\""));

        List<CanonicalEntry> doctored = ndjson().lines().map(line -> line.replace("R&D", "R&E")).map(line -> AuditExports.entry(JSON.readTree(line))).toList();
        ChainVerifier.Verdict caught = new ChainVerifier().verdictOf(doctored);
        assertThat(caught.valid()).isFalse();
        assertThat(caught.fault().kind().label()).isEqualTo("modified");
    }

    @Test
    void jsonPagesRecomputeEveryHash() {
        JsonNode page = JSON.readTree(manager.get().uri("/api/v1/orgs/{org}/audit?limit=100", orgId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertRecomputed(StreamSupport.stream(page.get("items").spliterator(), false).map(AuditExports::entry).toList());
    }

    @Test
    void csvRecomputesEveryHashOnceTheSpreadsheetApostropheIsDropped() {
        String csv = manager.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<String> lines = List.of(csv.split("\r\n"));
        List<String> header = CsvLine.cells(lines.get(0));
        List<CanonicalEntry> parsed = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = CsvLine.cells(line);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String cell = cells.get(i).startsWith("'") ? cells.get(i).substring(1) : cells.get(i);
                row.put(header.get(i), cell.isEmpty() ? null : cell);
            }
            parsed.add(new CanonicalEntry(Long.parseLong(row.get("position")), row.get("orgId"), row.get("aggregateId"),
                    Long.parseLong(row.get("sequence")), Instant.parse(row.get("occurredAt")), row.get("actorId"),
                    row.get("actorRoles") == null ? "" : row.get("actorRoles"), row.get("requestId"), row.get("reason"), row.get("action"),
                    row.get("objectType"), row.get("objectId"), row.get("poolId"), row.get("seatId"), row.get("details"), row.get("prevHash"),
                    row.get("hash")));
        }
        assertThat(csv).contains("'=SUM(A1)").contains("''=1+1 left");
        assertRecomputed(parsed);
    }

    @Test
    void pgauditLinesCarryTheRestInTheirParameterField() {
        String log = manager.get().uri("/api/v1/orgs/{org}/audit?format=pgaudit", orgId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        List<CanonicalEntry> parsed = log.lines().map(line -> {
            String occurredAt = line.substring(0, line.indexOf(' '));
            List<String> fields = CsvLine.cells(line.substring(line.indexOf(" LOG:  AUDIT: SESSION,") + " LOG:  AUDIT: SESSION,".length()));
            JsonNode parameters = JSON.readTree(fields.get(7));
            return new CanonicalEntry(Long.parseLong(fields.get(0)), parameters.get("orgId").asString(), parameters.get("aggregateId").asString(),
                    parameters.get("sequence").asLong(), Instant.parse(occurredAt), AuditExports.text(parameters, "actorId"), parameters.get("actorRoles").asString(),
                    AuditExports.text(parameters, "requestId"), AuditExports.text(parameters, "reason"), fields.get(3), fields.get(4), fields.get(5), AuditExports.text(parameters, "poolId"),
                    AuditExports.text(parameters, "seatId"), fields.get(6), AuditExports.text(parameters, "prevHash"), AuditExports.text(parameters, "hash"));
        }).toList();
        assertRecomputed(parsed);
    }

    private void assertRecomputed(List<CanonicalEntry> parsed) {
        assertThat(parsed).hasSize((int) entries);
        ChainVerifier.Verdict verdict = new ChainVerifier().verdictOf(parsed);
        assertThat(verdict.valid()).as("verdict %s", verdict).isTrue();
        assertThat(verdict.headsRoot()).isEqualTo(headHash);
    }

    private String ndjson() {
        return manager.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(NDJSON).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }


}
