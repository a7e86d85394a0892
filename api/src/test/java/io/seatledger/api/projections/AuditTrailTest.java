package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.query.audit.AuditVerifier;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail: complete, free of secrets, tamper-evident, and the same on every rebuild. */
class AuditTrailTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired DatabaseOwner owner;
    @Autowired EventProcessingConfiguration processing;
    @Autowired AuditVerifier chain;

    private Processors processors;
    private String orgId;
    private AuditMetadata manager;

    @BeforeEach
    void anOrganizationsHistory() {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        orgId = tenant.orgId();
        manager = tenant.manager();
        SeatScenarios.poolThroughALifecycle(commands, orgId, manager);
        processors = new Processors(processing, jdbc);
        processors.awaitCaughtUp(AuditTrailProjection.PROCESSOR, SeatPoolProjection.PROCESSOR);
    }

    @Test
    void everyEventOfTheOrganizationIsAnEntryInAnIntactChain() {
        long events = jdbc.queryForObject("""
                select count(*) from events.domain_event_entry where aggregate_identifier = ?
                    or aggregate_identifier in (select pool_id from read_model.seat_pools where org_id = ?)""", Long.class, orgId, orgId);
        AuditVerifier.Verification verification = chain.verify(orgId).block();
        assertThat(verification.valid()).isTrue();
        assertThat(verification.entries()).isEqualTo(events);
        assertThat(verification.firstInvalidPosition()).isNull();
        assertThat(verification.headHash()).hasSize(64);

        assertThat(jdbc.queryForList("select action from audit.entries where org_id = ? order by position", String.class, orgId))
                .startsWith("OrganizationCreated", "SeatPoolPurchased", "SeatAssigned")
                .contains("SeatClaimed", "SeatRevoked", "SeatTransferred", "SeatPoolResized");
        assertThat(jdbc.queryForList("select distinct actor_id from audit.entries where org_id = ?", String.class, orgId))
                .containsExactlyInAnyOrder(manager.actorId(), "user-ada");
        assertThat(jdbc.queryForList("select details::text from audit.entries where org_id = ?", String.class, orgId))
                .noneMatch(details -> details.contains("invitationTokenHash"));
        assertThat(jdbc.queryForObject("select count(*) from audit.entries where org_id = ? and object_type = 'seat' and seat_id is null",
                Long.class, orgId)).isZero();
    }

    @Test
    void tamperingWithAnEntryIsFoundAtThatEntry() {
        List<Long> positions = jdbc.queryForList("select position from audit.entries where org_id = ? order by position", Long.class, orgId);
        long tampered = positions.get(3);
        String original = entry(tampered);
        owner.jdbc().update("update audit.entries set details = jsonb_set(details, '{email}', '\"mallory@evil.example\"') where position = ?", tampered);
        try {
            AuditVerifier.Verification verification = chain.verify(orgId).block();
            assertThat(verification.valid()).isFalse();
            assertThat(verification.firstInvalidPosition()).isEqualTo(tampered);
        } finally {
            restore(tampered, original);
        }
    }

    @Test
    void removingAnEntryIsFoundAtTheEntryAfterIt() {
        List<Long> positions = jdbc.queryForList("select position from audit.entries where org_id = ? order by position", Long.class, orgId);
        String original = entry(positions.get(2));
        owner.jdbc().update("delete from audit.entries where position = ?", positions.get(2));
        try {
            assertThat(chain.verify(orgId).block().firstInvalidPosition()).isEqualTo(positions.get(3));
        } finally {
            restore(positions.get(2), original);
        }
    }

    @Test
    void aRebuildFromTheEventStoreReproducesEveryHash() {
        List<String> hashes = jdbc.queryForList("select hash from audit.entries where org_id = ? order by position", String.class, orgId);

        processors.replayFromTheStart(() -> owner.jdbc().execute("truncate audit.entries"), AuditTrailProjection.PROCESSOR);

        assertThat(jdbc.queryForList("select hash from audit.entries where org_id = ? order by position", String.class, orgId)).isEqualTo(hashes);
        assertThat(chain.verify(orgId).block().valid()).isTrue();
    }

    /** An entry as JSON, to put it back after a test tampered with it: the trail is shared, and a rebuild never drops or changes live entries. */
    private String entry(long position) {
        return owner.jdbc().queryForObject("select to_jsonb(e)::text from audit.entries e where position = ?", String.class, position);
    }

    private void restore(long position, String entry) {
        owner.jdbc().update("delete from audit.entries where position = ?", position);
        owner.jdbc().update("insert into audit.entries select * from jsonb_populate_record(null::audit.entries, ?::jsonb)", entry);
        assertThat(chain.verify(orgId).block().valid()).as("restored").isTrue();
    }
}
