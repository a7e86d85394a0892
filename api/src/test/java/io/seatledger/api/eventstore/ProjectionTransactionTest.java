package io.seatledger.api.eventstore;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.TransactionProbe;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A projection's write and its token update commit in one transaction, or neither does. */
class ProjectionTransactionTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired TransactionProbe probe;
    @Autowired Serializer serializer;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aFailedHandlerLeavesNeitherItsWriteNorATokenPastTheEvent() {
        String healthy = createOrganization("tx-probe healthy");
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.hasRow(healthy) && processedUpTo() >= globalIndexOf(healthy));

        String poisoned = createOrganization("tx-probe poison");
        long poisonedAt = globalIndexOf(poisoned);
        // The handler has run (and failed) several times by now; each time its write rolled back with the token.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(probe.hasRow(poisoned)).isFalse();
        assertThat(processedUpTo()).isLessThan(poisonedAt);

        probe.stopPoisoning();
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.hasRow(poisoned) && processedUpTo() >= poisonedAt);
    }

    private String createOrganization(String name) {
        String orgId = "org-" + UUID.randomUUID();
        AuditMetadata manager = Commands.actor("manager-1", orgId);
        new Commands(gateway).send(new CreateOrganization(orgId, name, new BillingManager("manager-1", "b@acme.example")), manager);
        return orgId;
    }

    private long globalIndexOf(String aggregateId) {
        return jdbc.queryForObject("select global_index from events.domain_event_entry where aggregate_identifier = ?", Long.class, aggregateId);
    }

    /** The token as committed in PostgreSQL, where a restarted processor would resume. */
    private long processedUpTo() {
        return jdbc.query("select token, token_type from axon.token_entry where processor_name = ? and token is not null",
                (row, i) -> {
                    TrackingToken token = serializer.deserialize(new SimpleSerializedObject<>(row.getBytes("token"), byte[].class, row.getString("token_type"), null));
                    return token.position().orElse(-1);
                }, TransactionProbe.PROCESSOR).stream().mapToLong(Long::longValue).min().orElse(-1);
    }
}
