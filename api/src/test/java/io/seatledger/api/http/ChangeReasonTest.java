package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A caller's reason for a change reaches the change's events, history and audit entries; a bad one stops the change. */
class ChangeReasonTest extends ApiTest {

    private static final String REASON = "Left the company — Überprüfung 2026/Q4";

    @Test
    void theReasonIsStoredWithTheChangeAndShownInHistoryAndAudit() {
        String poolId = buyPool(3);
        String seatId = (String) assign(poolId, "ann@example.com").get("seatId");
        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId)
                .header(ChangeReasons.HEADER, asHttpHeader(REASON)).exchange().expectStatus().isOk();

        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')].metadata.reason").isEqualTo(List.of(REASON))
                .jsonPath("$.items[?(@.type == 'SeatAssigned')].metadata.reason").value(reasons -> assertThat((List<?>) reasons).as("no reason given").containsOnlyNulls());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                manager.get().uri("/api/v1/orgs/{org}/audit?action=SeatRevoked", orgId).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.items[0].reason").isEqualTo(REASON));
        manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);
    }

    @Test
    void aBadReasonIsRefusedAndNothingIsStored() {
        String poolId = buyPool(3);
        String seatId = (String) assign(poolId, "bea@example.com").get("seatId");
        for (String bad : List.of("x".repeat(ChangeReasons.MAX_LENGTH + 1), asHttpHeader("é".repeat(ChangeReasons.MAX_LENGTH + 1)),
                asHttpHeader("next line\u0085here"), asHttpHeader("nul\u0000"), asHttpHeader("escape\u001b[31m"), "%FF%FE not UTF-8", "50% off",
                "trailing %4")) {
            manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId).header(ChangeReasons.HEADER, bad)
                    .exchange().expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(Api.PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED").jsonPath("$.errors[0].field").isEqualTo(ChangeReasons.HEADER);
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("pending");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')]").isEmpty();
    }

    @Test
    void aRawControlCharacterInTheHeaderStoresNothing() throws Exception {
        String poolId = buyPool(3);
        String seatId = (String) assign(poolId, "cy@example.com").get("seatId");
        String token = api.token(managerId, orgId, managerEmail);
        for (byte control : new byte[]{0x00, 0x07, 0x1b, 0x7f}) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("DELETE /api/v1/orgs/" + orgId + "/seat-pools/" + poolId + "/seats/" + seatId + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + token + "\r\n" + ChangeReasons.HEADER + ": before").getBytes(StandardCharsets.US_ASCII));
            request.write(control);
            request.writeBytes("after\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.toByteArray());
                out.flush();
                InputStream in = socket.getInputStream();
                String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(statusLine).as("control 0x%02x", control).startsWith("HTTP/1.1 4");
            }
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("pending");
    }

    @Test
    void rawNonAsciiBytesAreRefusedAsAProblem() {
        String poolId = buyPool(3);
        String seatId = (String) assign(poolId, "dee@example.com").get("seatId");
        String rawUtf8 = new String("Überprüfung".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        Api.problem(manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId)
                .header(ChangeReasons.HEADER, rawUtf8).exchange(), 400, "VALIDATION_FAILED");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("pending");
    }

    @Test
    void readsIgnoreTheHeader() {
        manager.get().uri("/api/v1/orgs/{org}/seat-pools", orgId).header(ChangeReasons.HEADER, "x".repeat(ChangeReasons.MAX_LENGTH + 1))
                .exchange().expectStatus().isOk();
    }

    /** The header as documented: UTF-8, percent-encoded. */
    private static String asHttpHeader(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
