package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Commands;
import io.seatledger.messages.seatpool.ApplyProviderState;
import io.seatledger.messages.seatpool.ProviderPayment;
import io.seatledger.messages.seatpool.ProviderState;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.seatledger.api.support.Commands.actor;
import static org.awaitility.Awaitility.await;

/** The invitation preview's {@code canClaim} says what a claim would meet: yes in a pool in service, no otherwise. */
class InvitationPreviewHttpTest extends ApiTest {

    @Autowired CommandGateway gateway;

    @Test
    void anActivePoolsInvitationCanBeClaimed() {
        String token = token(assign(buyPool(2), "ann@example.com"));
        preview(token).expectStatus().isOk().expectBody().jsonPath("$.canClaim").isEqualTo(true);
    }

    @Test
    void aPoolPastItsGraceSaysNoAndRefusesTheClaim() {
        String poolId = buyPool(2);
        String token = token(assign(poolId, "ben@example.com"));
        // The billing provider reports the pool past due with a grace period that ends at once; its deadline expires it.
        new Commands(gateway).send(new ApplyProviderState(poolId, orgId, new ProviderState(ProviderPayment.PAST_DUE, null, null, null, null, false),
                Instant.now()), actor("stripe-sync", orgId, "service"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                preview(token).expectStatus().isOk().expectBody().jsonPath("$.canClaim").isEqualTo(false));
        api.as("ben", "holders-org", "ben@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("POOL_NOT_ACTIVE");
    }

    @Test
    void aCanceledPoolsInvitationIsNoLongerOffered() {
        String poolId = buyPool(2);
        String token = token(assign(poolId, "cy@example.com"));
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", false)).exchange().expectStatus().isOk();
        // Cancellation revoked the seat: preview and claim both refuse the token alike.
        preview(token).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("INVITATION_INVALID");
        api.as("cy", "holders-org", "cy@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("INVITATION_INVALID");
    }

    private WebTestClient.ResponseSpec preview(String token) {
        return api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange();
    }

    @SuppressWarnings("unchecked")
    private static String token(Map<String, Object> seat) {
        return (String) ((Map<String, Object>) seat.get("invitation")).get("token");
    }
}
