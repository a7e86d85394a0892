package io.seatledger.api.eventstore;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stored events are facts: the event table refuses to change or lose them, even to its owner (the service's own
 * role is not even granted those statements: DatabaseRolesTest).
 */
class EventImmutabilityTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired DatabaseOwner owner;

    @Test
    void storedEventsCannotBeUpdatedDeletedOrTruncated() {
        String orgId = "org-" + UUID.randomUUID();
        AuditMetadata manager = Commands.actor("manager-1", orgId);
        new Commands(gateway).send(new CreateOrganization(orgId, "Acme", new BillingManager("manager-1", "b@acme.example")), manager);
        String countSql = "select count(*) from events.domain_event_entry where aggregate_identifier = ?";
        assertThat(jdbc.queryForObject(countSql, Long.class, orgId)).isEqualTo(1);

        JdbcTemplate asOwner = owner.jdbc();
        assertThatThrownBy(() -> asOwner.update("update events.domain_event_entry set payload_type = 'forged' where aggregate_identifier = ?", orgId))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("stored events are immutable: UPDATE");
        assertThatThrownBy(() -> asOwner.update("delete from events.domain_event_entry where aggregate_identifier = ?", orgId))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("stored events are immutable: DELETE");
        assertThatThrownBy(() -> asOwner.execute("truncate events.domain_event_entry"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("stored events are immutable: TRUNCATE");

        assertThat(jdbc.queryForObject(countSql, Long.class, orgId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select payload_type from events.domain_event_entry where aggregate_identifier = ?", String.class, orgId))
                .endsWith("OrganizationCreated");
    }
}
