package io.seatledger.api.http;

import io.seatledger.api.security.DevTokens;
import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live streams are bounded: the test profile allows 3 open streams per organization and 2 per user; beyond them
 * 429 with Retry-After, while other tenants still stream. A stream ends when its token expires.
 */
class StreamLimitsTest extends ApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS = new ParameterizedTypeReference<>() {
    };

    @Autowired DevTokens devTokens;

    @Test
    void streamsBeyondAUsersOrAnOrganizationsCapAreRefusedWhileAnotherTenantStillStreams() {
        WebTestClient alice = member("alice");
        WebTestClient bob = member("bob");
        WebTestClient carol = member("carol");
        List<Disposable> open = new ArrayList<>();
        try {
            open.add(stream(alice, orgId));
            open.add(stream(alice, orgId));
            refused(alice, "user");
            open.add(stream(bob, orgId));
            refused(carol, "organization");

            String otherOrg = Api.newOrgId();
            WebTestClient other = api.as("other-" + UUID.randomUUID(), otherOrg, "other@example.com");
            other.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other")).exchange().expectStatus().isCreated();
            open.add(stream(other, otherOrg));

            open.remove(0).dispose();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> open.add(stream(carol, orgId)));
        } finally {
            open.forEach(Disposable::dispose);
        }
    }

    @Test
    void aStreamIsClosedByTheServerWhenItsTokenExpiresAndAFreshTokenOpensAnother() {
        String shortLived = devTokens.issue(managerId, orgId, managerEmail, List.of(), Duration.ofSeconds(2));
        long opened = System.nanoTime();
        List<ServerSentEvent<Map<String, Object>>> received = api.withToken(shortLived).get().uri("/api/v1/orgs/{org}/stream", orgId)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk().returnResult(EVENTS).getResponseBody()
                .collectList().block(Duration.ofSeconds(15));
        Duration lasted = Duration.ofNanos(System.nanoTime() - opened);

        assertThat(lasted).as("the stream lasted until the token's exp, not longer").isBetween(Duration.ofMillis(1_000), Duration.ofSeconds(6));
        assertThat(received).last().satisfies(last -> assertThat(last.comment()).startsWith("token expired"));
        stream(manager, orgId).dispose();
    }

    @Test
    void aTokenAlreadyExpiredOpensNoStreamEvenWithinTheValidatorsClockSkew() {
        String expired = devTokens.issue(managerId, orgId, managerEmail, List.of(), Duration.ofSeconds(-5));
        api.withToken(expired).get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
    }

    private WebTestClient member(String name) {
        String user = name + "-" + UUID.randomUUID();
        return api.as(user, orgId, user + "@example.com");
    }

    /** Opens a stream and keeps reading it until disposed. */
    private static Disposable stream(WebTestClient client, String org) {
        return client.get().uri("/api/v1/orgs/{org}/stream", org).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(EVENTS).getResponseBody().subscribe();
    }

    private void refused(WebTestClient client, String whose) {
        client.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isEqualTo(429).expectHeader().exists("Retry-After").expectHeader().contentType(Api.PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED").jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains(whose));
    }
}
