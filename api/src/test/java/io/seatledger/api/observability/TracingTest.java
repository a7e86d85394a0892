package io.seatledger.api.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.seatledger.api.http.TraceIds;
import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.LogProbe;
import io.seatledger.api.support.Spans;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A caller's W3C trace goes through the service: it is returned on the answer, stored in the metadata of the events
 * its command caused (not in the audit trail), continued by the projections that apply them and written into the
 * request's log lines. A
 * malformed traceparent starts a new trace instead of failing the request; an unsampled one is not recorded.
 */
class TracingTest extends ApiTest {

    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCallersTraceGoesFromTheRequestThroughTheCommandIntoTheEventsAndTheProjections() {
        String traceId = hex(16);
        String answered = buyPoolIn(traceparent(traceId, true));
        assertThat(answered).matches(TRACEPARENT).startsWith("00-" + traceId + "-").endsWith("-01");

        List<String> metadata = storedMetadata();
        assertThat(metadata).isNotEmpty().last().asString().contains("\"traceparent\":\"00-" + traceId + "-");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Spans.of(traceId)).extracting(SpanData::getName)
                .anyMatch(name -> name.startsWith("command "))
                .anyMatch(name -> name.startsWith(SeatPoolProjection.PROCESSOR + " "))
                .anyMatch(name -> name.startsWith(AuditTrailProjection.PROCESSOR + " ")));
        List<SpanData> spans = Spans.of(traceId);
        SpanData command = spans.stream().filter(span -> span.getName().startsWith("command ")).findFirst().orElseThrow();
        // the projections continue the span the events were applied in, not merely the trace
        assertThat(spans).filteredOn(span -> span.getName().startsWith(SeatPoolProjection.PROCESSOR + " "))
                .allMatch(span -> span.getParentSpanId().equals(command.getSpanId()));
        // the audit trail (its canonical input and hash) does not see the trace: a rebuild stays byte-identical
        assertThat(jdbc.queryForObject("select count(*) from audit.entries where org_id = ?", Long.class, orgId)).isPositive();
        assertThat(jdbc.queryForObject("select count(*) from audit.entries e where org_id = ? and row_to_json(e)::text like '%' || ? || '%'",
                Long.class, orgId, traceId)).isZero();
    }

    @Test
    void aRequestsCallsToStripeAreSpansOfItsTrace() {
        String traceId = hex(16);
        manager.post().uri("/api/v1/orgs/{org}/checkout-sessions", orgId).contentType(MediaType.APPLICATION_JSON).header(TraceIds.HEADER, traceparent(traceId, true))
                .bodyValue(Map.of("kind", "subscription", "seats", 2, "interval", "month", "pricing", perSeat(1200),
                        "successUrl", "https://app.example.com/paid", "cancelUrl", "https://app.example.com/canceled"))
                .exchange().expectStatus().isCreated();
        assertThat(Spans.of(traceId)).extracting(SpanData::getName).contains("stripe POST");
    }

    @Test
    void aRequestsLogLinesCarryItsTraceAndSpan() {
        Logger logger = (Logger) LogProbe.LOG;
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            String traceId = hex(16);
            String answered = manager.get().uri(LogProbe.PATH).header(TraceIds.HEADER, traceparent(traceId, false)).exchange()
                    .expectStatus().isOk().returnResult(String.class).getResponseHeaders().getFirst(TraceIds.HEADER);
            assertThat(lines.list).hasSize(1);
            // the request id of LogContext stays beside them
            assertThat(lines.list.get(0).getMDCPropertyMap()).containsEntry("traceId", traceId).containsKey("spanId")
                    .containsKey(LogContext.REQUEST_ID);
            assertThat(answered).contains(lines.list.get(0).getMDCPropertyMap().get("spanId"));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void aFailureOfOursNamesItsTraceBesideItsRequest() {
        String traceId = hex(16);
        JsonNode problem = Api.problem(manager.get().uri(LogProbe.FAILING_INVITATION_PATH, "c2VjcmV0").header(TraceIds.HEADER, traceparent(traceId, true))
                .exchange(), 500, "INTERNAL_ERROR");
        assertThat(problem.path("traceId").asString()).isEqualTo(traceId);
        assertThat(problem.path("requestId").asString()).isNotBlank();
    }

    @Test
    void aMalformedTraceparentStartsANewTraceAndNeverFailsTheRequest() {
        String valid = hex(16);
        List<String> hostile = List.of(
                "garbage",
                "00-" + "0".repeat(32) + "-" + hex(8) + "-01",
                "00-" + valid + "-" + "0".repeat(16) + "-01",
                "00-" + valid.toUpperCase() + "-" + hex(8) + "-01",
                "ff-" + valid + "-" + hex(8) + "-01",
                "00-" + valid + "-" + hex(8) + "-01-" + "x".repeat(4000),
                "00-" + valid + "-" + hex(8),
                "00-" + valid + "-" + hex(8) + "-zz",
                "00-" + valid + "--" + hex(8) + "-01",
                "");
        for (String traceparent : hostile) {
            String answered = manager.get().uri("/api/v1/orgs/{org}", orgId).header(TraceIds.HEADER, traceparent).exchange()
                    .expectStatus().isOk().returnResult(String.class).getResponseHeaders().getFirst(TraceIds.HEADER);
            assertThat(answered).as(traceparent).matches(TRACEPARENT).doesNotContain(valid).doesNotContain("0".repeat(32));
        }
    }

    @Test
    void anUnsampledCallersTraceIsCarriedButNotRecorded() {
        String unsampled = hex(16);
        String answered = buyPoolIn(traceparent(unsampled, false));
        assertThat(answered).startsWith("00-" + unsampled + "-").endsWith("-00");
        assertThat(storedMetadata()).last().asString().contains("\"traceparent\":\"00-" + unsampled + "-").contains("-00\"");

        // a sampled request of the same tenant after it: once its projection spans are recorded, the unsampled events were applied too
        String sampled = hex(16);
        buyPoolIn(traceparent(sampled, true));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Spans.of(sampled)).extracting(SpanData::getName)
                .anyMatch(name -> name.startsWith(SeatPoolProjection.PROCESSOR + " ")));
        assertThat(Spans.of(unsampled)).isEmpty();
    }

    @Test
    void aRequestWithoutTraceparentIsAnsweredWithATraceOfItsOwn() {
        String first = manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getFirst(TraceIds.HEADER);
        String second = manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getFirst(TraceIds.HEADER);
        assertThat(first).matches(TRACEPARENT);
        assertThat(second).matches(TRACEPARENT);
        assertThat(first.substring(3, 35)).isNotEqualTo(second.substring(3, 35));
    }

    private String buyPoolIn(String traceparent) {
        return manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.APPLICATION_JSON).header(TraceIds.HEADER, traceparent)
                .bodyValue(Map.of("kind", "subscription", "seats", 3, "interval", "month", "pricing", perSeat(1500)))
                .exchange().expectStatus().isCreated().returnResult(String.class).getResponseHeaders().getFirst(TraceIds.HEADER);
    }

    /** The metadata of this test's organization's stored events, oldest first. */
    private List<String> storedMetadata() {
        return jdbc.queryForList("""
                select convert_from(meta_data, 'UTF8') from events.domain_event_entry
                where convert_from(meta_data, 'UTF8') like '%"orgId":"' || ? || '"%' order by global_index""", String.class, orgId);
    }

    private static String traceparent(String traceId, boolean sampled) {
        return "00-" + traceId + "-" + hex(8) + (sampled ? "-01" : "-00");
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
