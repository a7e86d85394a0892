package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.auditformat.CsvLine;
import io.seatledger.messages.seatpool.BillingPeriodRenewed;
import io.seatledger.messages.seatpool.SeatPoolResized;
import io.seatledger.messages.seatpool.ProrationBehavior;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.projections.rebuild.RebuildProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The charges of manually invoiced pools through the running service: what the events carried (purchase at 15.00 a seat,
 * a resize now prorated to the second), as JSON pages, NDJSON and CSV, per pool and per organization, filtered by time
 * and paged by cursor; only for the organization's billing manager (and admins, services); hostile input refused.
 */
class ChargesHttpTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired DatabaseOwner owner;
    @Autowired ShadowRebuild rebuild;

    @Test
    void aPoolsPurchaseAndProratedResizeAreItsCharges() {
        String poolId = buyPool(3);
        long resizedAt = resizeNow(poolId, 5);
        // read at the resize's own position: the proration is there without retrying
        JsonNode page = json(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges?minPosition={p}", orgId, poolId, resizedAt));
        JsonNode items = page.path("items");
        assertThat(items.size()).isEqualTo(2);
        assertThat(page.path("next").isNull()).isTrue();
        JsonNode purchase = items.get(0);
        assertThat(purchase.path("kind").asString()).isEqualTo("purchase");
        assertThat(purchase.path("poolId").asString()).isEqualTo(poolId);
        assertThat(purchase.path("seats").asInt()).isEqualTo(3);
        assertThat(purchase.path("amount").asLong()).isEqualTo(4_500);
        assertThat(purchase.path("currency").asString()).isEqualTo("eur");
        Instant periodStart = Instant.parse(purchase.path("periodStart").asString());
        Instant periodEnd = Instant.parse(purchase.path("periodEnd").asString());
        assertThat(periodEnd).isAfter(periodStart.plus(Duration.ofDays(27)));
        assertThat(UUID.fromString(purchase.path("chargeId").asString())).isNotNull();
        JsonNode proration = items.get(1);
        assertThat(proration.path("kind").asString()).isEqualTo("proration");
        assertThat(proration.path("seats").asInt()).isEqualTo(5);
        // two more seats for (almost) the whole period: 3000 less the seconds gone since the purchase
        assertThat(proration.path("amount").asLong()).isBetween(2_990L, 3_000L);
        assertThat(Instant.parse(proration.path("periodEnd").asString())).isEqualTo(periodEnd);
        assertThat(proration.path("position").asLong()).isGreaterThan(purchase.path("position").asLong()).isLessThanOrEqualTo(resizedAt);
        assertThat(Instant.parse(proration.path("occurredAt").asString())).isAfterOrEqualTo(Instant.parse(purchase.path("occurredAt").asString()));
        assertThat(proration.path("chargeId").asString()).isNotEqualTo(purchase.path("chargeId").asString());
    }

    @Test
    void aResizeWithoutProrationAddsNoLineAndTheOrganizationListsEveryPool() {
        String first = buyPool(2);
        String second = buyPool(4);
        manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, second).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 6, "effective", "now", "prorationBehavior", "none")).exchange().expectStatus().isOk();
        List<JsonNode> all = items(json(manager.get().uri("/api/v1/orgs/{org}/charges", orgId)));
        assertThat(all).extracting(item -> item.path("poolId").asString()).containsExactly(first, second);
        assertThat(all).extracting(item -> item.path("amount").asLong()).containsExactly(3_000L, 6_000L);
        assertThat(items(json(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, second)))).hasSize(1);
    }

    @Test
    void fromAndToSelectByWhenTheChargeWasRecorded() {
        buyPool(1);
        buyPool(2);
        buyPool(3);
        List<JsonNode> all = items(json(manager.get().uri("/api/v1/orgs/{org}/charges", orgId)));
        assertThat(all).hasSize(3);
        String secondAt = all.get(1).path("occurredAt").asString();
        String thirdAt = all.get(2).path("occurredAt").asString();
        assertThat(items(json(manager.get().uri("/api/v1/orgs/{org}/charges?from={from}", orgId, secondAt))))
                .extracting(item -> item.path("seats").asInt()).containsExactly(2, 3);
        assertThat(items(json(manager.get().uri("/api/v1/orgs/{org}/charges?to={to}", orgId, secondAt))))
                .extracting(item -> item.path("seats").asInt()).containsExactly(1);
        assertThat(items(json(manager.get().uri("/api/v1/orgs/{org}/charges?from={from}&to={to}", orgId, secondAt, thirdAt))))
                .extracting(item -> item.path("seats").asInt()).containsExactly(2);
        assertThat(items(json(manager.get().uri("/api/v1/orgs/{org}/charges?from=2100-01-01T00:00:00Z", orgId)))).isEmpty();
        assertThat(ndjson(manager.get().uri("/api/v1/orgs/{org}/charges?from={from}", orgId, secondAt))).hasSize(2);
    }

    @Test
    void aCursorPagesThroughEveryChargeOnce() {
        for (int seats = 1; seats <= 5; seats++) {
            buyPool(seats);
        }
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = cursor == null ? json(manager.get().uri("/api/v1/orgs/{org}/charges?limit=2", orgId))
                    : json(manager.get().uri("/api/v1/orgs/{org}/charges?limit=2&cursor={cursor}", orgId, cursor));
            items(page).forEach(item -> seen.add(item.path("seats").asInt()));
            cursor = page.path("next").isNull() ? null : page.path("next").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactly(1, 2, 3, 4, 5);
        assertThat(pages).isEqualTo(3);
        // an export goes on from a cursor too
        String afterTwo = json(manager.get().uri("/api/v1/orgs/{org}/charges?limit=2", orgId)).path("next").asString();
        assertThat(ndjson(manager.get().uri("/api/v1/orgs/{org}/charges?cursor={cursor}", orgId, afterTwo)))
                .extracting(line -> line.path("seats").asInt()).containsExactly(3, 4, 5);
    }

    @Test
    void ndjsonAndCsvCarryTheSameLinesAsJson() {
        String poolId = buyPool(3);
        resizeNow(poolId, 1);
        List<JsonNode> json = items(json(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId)));
        assertThat(json).hasSize(2);
        assertThat(json.get(1).path("amount").asLong()).as("a decrease now is a credit").isNegative();

        assertThat(ndjson(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId))).isEqualTo(json);

        String csv = text(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId), "text/csv");
        assertThat(csv).endsWith("\r\n");
        List<String> lines = Arrays.asList(csv.split("\r\n"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("chargeId,poolId,kind,seats,amount,currency,periodStart,periodEnd,position,occurredAt");
        for (int i = 0; i < json.size(); i++) {
            List<String> cells = CsvLine.cells(lines.get(i + 1));
            JsonNode item = json.get(i);
            assertThat(cells).containsExactly(item.path("chargeId").asString(), poolId, item.path("kind").asString(), item.path("seats").asString(),
                    item.path("amount").asString(), "eur", item.path("periodStart").asString(), item.path("periodEnd").asString(),
                    item.path("position").asString(), item.path("occurredAt").asString());
        }
        assertThat(CsvLine.cells(lines.get(2)).get(4)).as("a credit stays a number").startsWith("-");
    }

    @Test
    void aCsvCellFromOutsideCannotRunInASpreadsheet() {
        String poolId = buyPool(1);
        // a refund's id is Stripe's: as if it had come with a formula and a line break
        owner.jdbc().update("""
                insert into read_model.charges (position, charge_id, org_id, pool_id, kind, seats, amount, currency, occurred_at)
                values ((select max(position) + 1000000 from read_model.charges), ?, ?, ?, 'refund', 1, -100, 'eur', now())""",
                "=HYPERLINK(\"http://evil.example\")\r\n@x", orgId, poolId);
        String csv = text(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId), "text/csv");
        String refund = csv.substring(csv.indexOf("\"'=HYPERLINK"));
        assertThat(refund).startsWith("\"'=HYPERLINK(\"\"http://evil.example\"\")\r\n@x\",");
        assertThat(csv).endsWith("\r\n");
    }

    @Test
    void onlyTheBillingManagerAdminsAndServicesOfTheOrganizationSeeItsCharges() {
        String poolId = buyPool(2);
        String otherOrg = Api.newOrgId();
        WebTestClient stranger = api.as("stranger-" + UUID.randomUUID(), otherOrg, "stranger@example.com");
        Api.problem(stranger.get().uri("/api/v1/orgs/{org}/charges", orgId).exchange(), 404, "NOT_FOUND");
        Api.problem(stranger.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId).exchange(), 404, "NOT_FOUND");
        // another tenant's pool under one's own organization is no pool at all
        stranger.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other " + otherOrg))
                .exchange().expectStatus().isCreated();
        stranger.get().uri("/api/v1/orgs/{org}", otherOrg).exchange().expectStatus().isOk();
        Api.problem(stranger.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", otherOrg, poolId).exchange(), 404, "NOT_FOUND");
        assertThat(items(json(stranger.get().uri("/api/v1/orgs/{org}/charges", otherOrg)))).isEmpty();

        WebTestClient colleague = api.as("colleague-" + UUID.randomUUID(), orgId, "colleague@example.com");
        Api.problem(colleague.get().uri("/api/v1/orgs/{org}/charges", orgId).exchange(), 403, "FORBIDDEN");
        Api.problem(colleague.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId).header("Accept", "text/csv").exchange(),
                403, "FORBIDDEN");
        WebTestClient service = api.as("billing-job", orgId, "billing-job@example.com", "service");
        assertThat(items(json(service.get().uri("/api/v1/orgs/{org}/charges", orgId)))).hasSize(1);
        WebTestClient admin = api.as("admin-" + UUID.randomUUID(), "org-admins", "admin@example.com", "admin");
        assertThat(items(json(admin.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId)))).hasSize(1);
    }

    @Test
    void hostileInputIsRefusedWithAStableCode() {
        String poolId = buyPool(1);
        for (String query : List.of("from=yesterday", "to=2026-13-45T00:00:00Z", "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "limit=1000000", "limit=0", "limit=-1", "cursor=not-a-cursor", "cursor=" + "A".repeat(1000))) {
            Api.problem(manager.get().uri("/api/v1/orgs/" + orgId + "/charges?" + query).exchange(), 400, "VALIDATION_FAILED");
            Api.problem(manager.get().uri("/api/v1/orgs/" + orgId + "/charges?" + query).header("Accept", "application/x-ndjson").exchange(),
                    400, "VALIDATION_FAILED");
            Api.problem(manager.get().uri("/api/v1/orgs/" + orgId + "/seat-pools/" + poolId + "/charges?" + query).header("Accept", "text/csv").exchange(),
                    400, "VALIDATION_FAILED");
        }
        Api.problem(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, "not-a-uuid").exchange(), 400, "VALIDATION_FAILED");
        Api.problem(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, UUID.randomUUID()).exchange(), 404, "NOT_FOUND");
        Api.problem(manager.get().uri("/api/v1/orgs/{org}/charges?minPosition=abc", orgId).exchange(), 400, "VALIDATION_FAILED");
        Api.problem(manager.get().uri("/api/v1/orgs/{org}/charges?minPosition=999999999999999", orgId).exchange(), 400, "VALIDATION_FAILED");
    }

    @Test
    void eventsRecordedBeforeChargesKeepTheirJson() {
        // what the audit trail hashes and stored events hold: an event without a charge has no charge member at all
        BillingPeriod period = new BillingPeriod(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));
        JsonNode renewed = JSON.valueToTree(new BillingPeriodRenewed("pool", "org", period));
        assertThat(renewed.has("charge")).isFalse();
        assertThat(renewed.properties()).hasSize(3);
        JsonNode resized = JSON.valueToTree(new SeatPoolResized("pool", "org", 1, 2, ProrationBehavior.NONE, period.start()));
        assertThat(resized.has("charge")).isFalse();
    }

    @Test
    void aRebuildOfThePoolsRebuildsTheirChargesIdentically() {
        String poolId = buyPool(3);
        resizeNow(poolId, 4);
        String before = text(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId), "application/x-ndjson");
        assertThat(before.lines()).hasSize(2);
        owner.jdbc().update("delete from read_model.charges where pool_id = ?", poolId);
        assertThat(rebuild.start(SeatPoolProjection.PROCESSOR)).isTrue();
        await().atMost(Duration.ofSeconds(120)).until(() -> rebuild.progress(SeatPoolProjection.PROCESSOR).orElseThrow().phase() == RebuildProgress.Phase.DONE);
        assertThat(text(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/charges", orgId, poolId), "application/x-ndjson")).isEqualTo(before);
    }

    // ---------------------------------------------------------------- helpers

    /** Resizes now with proration; returns the answer's position. */
    private long resizeNow(String poolId, int seats) {
        EntityExchangeResult<byte[]> answer = manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", seats, "effective", "now", "prorationBehavior", "create_prorations"))
                .exchange().expectStatus().isOk().expectBody().returnResult();
        return Long.parseLong(answer.getResponseHeaders().getFirst(Api.POSITION));
    }

    private static JsonNode json(WebTestClient.RequestHeadersSpec<?> request) {
        byte[] body = request.exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }

    private static List<JsonNode> ndjson(WebTestClient.RequestHeadersSpec<?> request) {
        return text(request, "application/x-ndjson").lines().map(JSON::readTree).toList();
    }

    private static String text(WebTestClient.RequestHeadersSpec<?> request, String type) {
        byte[] body = request.header("Accept", type).exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(type)
                .expectBody().returnResult().getResponseBody();
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
