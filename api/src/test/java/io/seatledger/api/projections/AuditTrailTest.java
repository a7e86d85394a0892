package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.EntryHash;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail: complete, free of secrets, the same on every rebuild, and tamper-evident: an entry modified, deleted,
 * inserted or moved is named with the kind of fault and the entry where it shows. Each test puts the trail back.
 */
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
        assertThat(jdbc.queryForList("select details from audit.entries where org_id = ?", String.class, orgId))
                .noneMatch(details -> details.contains("invitationTokenHash"));
        assertThat(jdbc.queryForObject("select count(*) from audit.entries where org_id = ? and object_type = 'seat' and seat_id is null",
                Long.class, orgId)).isZero();
    }

    @Test
    void aModifiedEntryIsNamedAtThatEntry() {
        long tampered = positionOf("SeatAssigned", 0);
        String original = entry(tampered);
        owner.jdbc().update("update audit.entries set details = replace(details, '\"email\":\"', '\"email\":\"mallory+') where position = ?", tampered);
        try {
            assertFault("modified", tampered);
        } finally {
            restore(tampered, original);
        }
    }

    @Test
    void aDeletedEntryIsNamedAtTheNextEntryOfItsAggregate() {
        long removed = positionOf("SeatAssigned", 0);
        Map<String, Object> row = jdbc.queryForMap("select aggregate_id, sequence from audit.entries where position = ?", removed);
        long next = jdbc.queryForObject("select position from audit.entries where aggregate_id = ? and sequence = ?", Long.class,
                row.get("aggregate_id"), (Long) row.get("sequence") + 1);
        String original = entry(removed);
        owner.jdbc().update("delete from audit.entries where position = ?", removed);
        try {
            assertFault("deleted", next);
        } finally {
            restore(removed, original);
        }
    }

    @Test
    void anInsertedEntryIsNamedEvenWithAValidHash() {
        // a forger who knows the format: a second entry for an existing sequence, hashed correctly, at a free position
        long copied = positionOf("SeatRevoked", 0);
        long forgedPosition = jdbc.queryForObject("select max(position) from audit.entries", Long.class) + 1_000_000;
        Map<String, Object> row = owner.jdbc().queryForMap("select * from audit.entries where position = ?", copied);
        CanonicalEntry forged = new CanonicalEntry(forgedPosition, orgId, (String) row.get("aggregate_id"), (Long) row.get("sequence"),
                ((java.sql.Timestamp) row.get("occurred_at")).toInstant(), "user-mallory", (String) row.get("actor_roles"), "request-forged", null,
                "SeatRevoked", "seat", (String) row.get("object_id"), (String) row.get("pool_id"), (String) row.get("seat_id"),
                (String) row.get("details"), (String) row.get("prev_hash"), null);
        forged = forged.chained(forged.prevHash(), new EntryHash().hex(forged));
        owner.jdbc().update("""
                insert into audit.entries (position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action,
                    object_type, object_id, pool_id, seat_id, details, prev_hash, hash)
                values (?, ?, ?, ?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", forged.position(), forged.orgId(), forged.aggregateId(),
                forged.sequence(), forged.occurredAt().toString(), forged.actorId(), forged.actorRoles(), forged.requestId(), forged.reason(),
                forged.action(), forged.objectType(), forged.objectId(), forged.poolId(), forged.seatId(), forged.details(), forged.prevHash(), forged.hash());
        try {
            assertFault("inserted", forgedPosition);
        } finally {
            owner.jdbc().update("delete from audit.entries where position = ?", forgedPosition);
            assertThat(chain.verify(orgId).block().valid()).as("restored").isTrue();
        }
    }

    @Test
    void twoEntriesOfAnAggregateTradingPlacesAreNamedReordered() {
        long first = positionOf("SeatAssigned", 0);
        Map<String, Object> row = jdbc.queryForMap("select aggregate_id, sequence from audit.entries where position = ?", first);
        long second = jdbc.queryForObject("select position from audit.entries where aggregate_id = ? and sequence = ?", Long.class,
                row.get("aggregate_id"), (Long) row.get("sequence") + 1);
        swap(first, second);
        try {
            assertFault("reordered", first);
        } finally {
            swap(first, second);
            assertThat(chain.verify(orgId).block().valid()).as("restored").isTrue();
        }
    }

    private void swap(long first, long second) {
        owner.jdbc().update("update audit.entries set position = -1 where position = ?", first);
        owner.jdbc().update("update audit.entries set position = ? where position = ?", first, second);
        owner.jdbc().update("update audit.entries set position = ? where position = -1", second);
    }

    private long positionOf(String action, int nth) {
        return jdbc.queryForList("select position from audit.entries where org_id = ? and action = ? order by position", Long.class, orgId, action)
                .get(nth);
    }

    private void assertFault(String kind, long position) {
        AuditVerifier.Verification verification = chain.verify(orgId).block();
        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstInvalidPosition()).isEqualTo(position);
        assertThat(verification.fault().kind()).isEqualTo(kind);
        assertThat(verification.fault().position()).isEqualTo(position);
    }

    @Test
    void aRebuildFromTheEventStoreReproducesEveryHash() {
        List<String> hashes = jdbc.queryForList("select hash from audit.entries where org_id = ? order by position", String.class, orgId);

        processors.replayFromTheStart(() -> owner.jdbc().execute("truncate audit.entries"), AuditTrailProjection.PROCESSOR);

        assertThat(jdbc.queryForList("select hash from audit.entries where org_id = ? order by position", String.class, orgId)).isEqualTo(hashes);
        assertThat(chain.verify(orgId).block().valid()).isTrue();
    }

    @Test
    void redeliveredEventsAddNothingAndChangeNothing() {
        String trail = String.join("\n", jdbc.queryForList("select e::text from audit.entries e where org_id = ? order by position", String.class, orgId));

        processors.replayFromTheStart(() -> { }, AuditTrailProjection.PROCESSOR);

        assertThat(String.join("\n", jdbc.queryForList("select e::text from audit.entries e where org_id = ? order by position", String.class, orgId)))
                .isEqualTo(trail);
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
