package io.seatledger.api.projections;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.StoredEvents;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.seatpool.ApplyProviderState;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.ProviderPayment;
import io.seatledger.messages.seatpool.ProviderState;
import io.seatledger.messages.seatpool.StripeSubscription;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harm control characters did: a U+0000 in a stored event was refused by PostgreSQL in the projections,
 * the event was dead-lettered and, events being sequenced by organization, every later event of the tenant
 * waited behind it for good. Now no entry point can store one, and the tenant's read models carry on.
 */
class PoisonInputTest extends ApiTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;

    @Test
    void noEntryPointStoresAControlCharacterSoTheTenantIsNeverParked() {
        String poolId = buyPool(5);
        Commands commands = new Commands(gateway);
        AuditMetadata asManager = Commands.actor(managerId, orgId);
        long stored = StoredEvents.of(jdbc, orgId);
        assertThat(stored).as("the organization's events are found by its metadata").isPositive();
        for (String json : new String[] {"{\"email\":\"a\\u0000@example.com\"}", "{\"note\":\"a\\tb\"}", "{\"note\":\"c1\u0085\"}",
                "{\"note\":\"line\u2028\"}", "{\"note\":\"\\ud800\"}"}) {
            assertThat(StoredEvents.holdsControlCharacter(jdbc, json)).as("the scan finds %s", json).isTrue();
        }
        assertThat(StoredEvents.holdsControlCharacter(jdbc, "{\"email\":\"Am\u00e9lie@example.com\",\"note\":\"\uD83C\uDF9F\"}")).isFalse();

        // the HTTP edge
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"nul\\u0000@example.com\"}").exchange().expectStatus().isBadRequest();
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue("{\"email\":\"row@example.com\",\"metadata\":{\"note\":\"\\u0000\"}}\n").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.rejected[0].code").isEqualTo("VALIDATION_FAILED");
        // commands straight to the write model, as the billing integration or any other entry point sends them
        assertThat(commands.refusal(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "meta@example.com", false, null, Map.of("note", "\u0000")),
                asManager)).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(commands.refusal(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "reason@example.com", false, null, Map.of()),
                new AuditMetadata(managerId, Set.of(), UUID.randomUUID().toString(), "because\u0000", orgId))).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(commands.refusal(new ApplyProviderState(poolId, orgId, new ProviderState(ProviderPayment.PAID,
                new StripeSubscription("cus_\u0000", null, null, null), null, null, null, false), null), Commands.actor("billing", orgId, "service")))
                .isEqualTo(ErrorCode.VALIDATION_FAILED);
        String otherOrg = "org-" + UUID.randomUUID();
        assertThat(commands.refusal(new CreateOrganization(otherOrg, "Poison\u0000", new BillingManager("m", "m@example.com")),
                Commands.actor("m", otherOrg))).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(StoredEvents.of(jdbc, orgId)).as("nothing stored").isEqualTo(stored);
        assertThat(StoredEvents.of(jdbc, otherOrg)).isZero();

        // the tenant goes on: its next change is projected (the answer waits for it), nothing is dead-lettered
        assign(poolId, "after@example.com");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from axon.dead_letter_entry where sequence_identifier = ?", Integer.class, orgId)).isZero();
        assertThat(StoredEvents.withControlCharacters(jdbc, orgId)).isZero();
    }
}
