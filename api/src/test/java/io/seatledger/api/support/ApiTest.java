package io.seatledger.api.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * HTTP tests against the whole running service (the shared context, its embedded PostgreSQL and Redis):
 * each test gets a fresh organization with a billing manager who has bought a pool.
 */
public abstract class ApiTest extends IntegrationTest {

    @Value("${local.server.port}")
    protected int port;

    protected Api api;
    protected String orgId;
    protected String managerId;
    protected String managerEmail;
    protected WebTestClient manager;

    @BeforeEach
    void createOrganization() {
        api = new Api(port);
        orgId = organizationId();
        managerId = "manager-" + UUID.randomUUID();
        managerEmail = managerId + "@example.com";
        manager = api.as(managerId, orgId, managerEmail);
        manager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Acme " + orgId))
                .exchange().expectStatus().isCreated();
        // read at the answer's position: clients without this session's position (the Java client) read it next
        manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().expectStatus().isOk();
    }

    /** The organization this test's billing manager creates; a fresh one unless a test needs a configured one. */
    protected String organizationId() {
        return Api.newOrgId();
    }

    /**
     * Buys an active, manually invoiced monthly pool of this many seats; returns its id once the pool's read model
     * shows it (a read at the answer's position), so that tests may look at or tamper with the read model.
     */
    @SuppressWarnings("unchecked")
    protected String buyPool(int seats) {
        Map<String, Object> pool = manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", seats, "interval", "month", "pricing", perSeat(1500)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String poolId = (String) pool.get("poolId");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk();
        return poolId;
    }

    /** Assigns a seat; returns the answer (the seat and its invitation) once the seat's read model shows it. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> assign(String poolId, String email) {
        Map<String, Object> seat = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        // read at the answer's position: tests may look at the read model next
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seat.get("seatId")).exchange().expectStatus().isOk();
        return seat;
    }

    protected static Map<String, Object> perSeat(long unitAmount) {
        return Map.of("currency", "eur", "tiersMode", "volume", "tiers", List.of(tier(null, unitAmount, 0)));
    }

    protected static Map<String, Object> tier(Long upTo, long unitAmount, long flatAmount) {
        Map<String, Object> tier = new java.util.HashMap<>();
        tier.put("upTo", upTo);
        tier.put("unitAmount", unitAmount);
        tier.put("flatAmount", flatAmount);
        return tier;
    }
}
