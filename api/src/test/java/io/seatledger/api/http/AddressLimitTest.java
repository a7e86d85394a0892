package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests no tenant answers for (bad tokens, the public routes) are limited per client address (default 20/s,
 * burst 100); the test profile trusts X-Forwarded-For, so each test acts from addresses of its own.
 */
class AddressLimitTest extends ApiTest {

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    @Test
    void aFloodOfBadTokensFromOneAddressIsRefusedWhileTenantsAndOtherAddressesAreServed() {
        String attacker = "198.51.100.7";
        WebTestClient badToken = api.withToken("not.a.jwt");
        List<EntityExchangeResult<String>> answers = flood(300, i -> badToken.get().uri("/api/v1/orgs/{org}/usage", orgId).header(FORWARDED_FOR, attacker));

        List<Integer> statuses = answers.stream().map(answer -> answer.getStatus().value()).toList();
        assertThat(statuses.subList(0, 100)).as("the burst is answered as usual").containsOnly(401);
        assertThat(statuses.stream().filter(status -> status == 401).count()).as("only the refill passes after the burst").isLessThan(200);
        EntityExchangeResult<String> refused = answers.stream().filter(answer -> answer.getStatus().value() == 429).findFirst().orElseThrow();
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getResponseHeaders().getContentType()).hasToString(Api.PROBLEM_JSON);
        assertThat(refused.getResponseBody()).contains("\"code\":\"RATE_LIMITED\"");

        // a tenant's authenticated requests from the same address are not affected; another address still gets its answer
        manager.get().uri("/api/v1/orgs/{org}/usage", orgId).header(FORWARDED_FOR, attacker).exchange().expectStatus().isOk();
        badToken.get().uri("/api/v1/orgs/{org}/usage", orgId).header(FORWARDED_FOR, "198.51.100.8").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aFloodOfInvitationGuessesFromOneAddressIsRefusedButStripesWebhookFromItIsNot() {
        String guesser = "203.0.113.9";
        List<EntityExchangeResult<String>> answers = flood(400, i -> i % 2 == 0
                ? api.anonymous().get().uri("/api/v1/invitations/{token}", "guess-" + i).header(FORWARDED_FOR, guesser)
                : api.anonymous().post().uri("/api/v1/billing/stripe/webhook").header(FORWARDED_FOR, guesser)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{}"));

        List<Integer> previews = answers.stream().filter(answer -> answer.getUrl().getPath().startsWith("/api/v1/invitations/"))
                .map(answer -> answer.getStatus().value()).toList();
        assertThat(previews.subList(0, 50)).doesNotContain(429);
        assertThat(previews.stream().filter(status -> status == 429).count()).as("guesses refused after the burst").isGreaterThan(10);
        // the webhook authenticates by its signature and comes from Stripe's addresses, shared by every tenant
        assertThat(answers.stream().filter(answer -> answer.getUrl().getPath().endsWith("/stripe/webhook")).map(answer -> answer.getStatus().value()))
                .as("webhook answers").hasSize(200).doesNotContain(429);
    }

    @Test
    void theAuditSigningKeysArePublicButLimitedPerAddress() {
        String reader = "203.0.113.77";
        List<Integer> statuses = flood(300, i -> api.anonymous().get().uri("/api/v1/audit/keys").header(FORWARDED_FOR, reader)).stream()
                .map(answer -> answer.getStatus().value()).toList();
        assertThat(statuses.subList(0, 50)).containsOnly(200);
        assertThat(statuses.stream().filter(status -> status == 429).count()).as("refused after the burst").isGreaterThan(10);
        api.anonymous().get().uri("/api/v1/audit/keys").header(FORWARDED_FOR, "203.0.113.78").exchange().expectStatus().isOk();
    }

    private static List<EntityExchangeResult<String>> flood(int requests, IntFunction<WebTestClient.RequestHeadersSpec<?>> request) {
        List<EntityExchangeResult<String>> answers = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            answers.add(request.apply(i).exchange().expectBody(String.class).returnResult());
        }
        return answers;
    }
}
