package io.seatledger.projections.audit;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.ChainVerifier;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.OrganizationCreated;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatClaimed;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.projections.EventFeed;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.readmodel.testing.ReadModelStores;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The audit trail written by {@link AuditTrailProjection} from events handed to it directly: one entry per event, chained
 * within the aggregate that recorded it, hashed as the offline verifier (audit-format) recomputes it.
 */
class AuditTrailEntriesTest {

    private static final Instant NOW = Instant.now();

    private static JdbcTemplate jdbc;

    private final String orgId = "org-" + UUID.randomUUID();
    private final String poolId = "pool-" + UUID.randomUUID();
    private final String seatId = "seat-" + UUID.randomUUID();
    private final EventFeed events = new EventFeed(orgId);
    private final AuditTrailProjection projection = new AuditTrailProjection(jdbc, ReadModelSchema.AUDIT, null);

    @BeforeAll
    static void stores() {
        jdbc = new JdbcTemplate(ReadModelStores.get().runtime());
    }

    @Test
    void eachAggregatesEntriesLinkToItsPreviousOneAndTheTrailVerifies() {
        EventFeed.deliver(projection, List.of(organizationCreated(), purchased(), assigned()), List.of(claimed()));

        List<CanonicalEntry> trail = trail();
        assertThat(trail).extracting(CanonicalEntry::aggregateId, CanonicalEntry::sequence)
                .containsExactly(tuple(orgId, 0L), tuple(poolId, 0L),
                        tuple(poolId, 1L), tuple(poolId, 2L));
        assertThat(trail.get(0).prevHash()).isNull();
        assertThat(trail.get(1).prevHash()).as("a new aggregate starts its own chain").isNull();
        assertThat(trail.get(2).prevHash()).isEqualTo(trail.get(1).hash());
        assertThat(trail.get(3).prevHash()).isEqualTo(trail.get(2).hash());
        ChainVerifier.Verdict verdict = new ChainVerifier().verdictOf(trail);
        assertThat(verdict.valid()).as("fault: %s", verdict.fault()).isTrue();
        assertThat(verdict.entries()).isEqualTo(4);
    }

    @Test
    void anEntrySaysWhoDidWhatToWhichObjectAndKeepsNoSecret() {
        TrackedEventMessage<?> purchase = purchased();
        TrackedEventMessage<?> assignment = assigned();
        EventFeed.deliverOneByOne(projection, purchase, assignment);

        Map<String, Object> entry = jdbc.queryForMap("""
                select action, object_type, object_id, pool_id, seat_id, actor_id, actor_roles, request_id, reason, details, event_id, position
                from audit.entries where org_id = ? and seat_id = ?""", orgId, seatId);
        assertThat(entry).containsEntry("action", "SeatAssigned").containsEntry("object_type", "seat").containsEntry("object_id", seatId)
                .containsEntry("pool_id", poolId).containsEntry("actor_id", "user-manager").containsEntry("actor_roles", "billing-admin,seat-manager")
                .containsEntry("request_id", "request-" + orgId).containsEntry("reason", "on request")
                .containsEntry("event_id", assignment.getIdentifier()).containsEntry("position", assignment.trackingToken().position().orElseThrow());
        assertThat((String) entry.get("details")).contains("\"email\":\"ada@example.com\"").doesNotContain("invitationTokenHash").doesNotContain("secret-hash");
        assertThat(jdbc.queryForMap("select object_type, object_id from audit.entries where org_id = ? and action = 'SeatPoolPurchased'", orgId))
                .containsEntry("object_type", "seat_pool").containsEntry("object_id", poolId);
    }

    @Test
    void anEventDeliveredAgainIsNotEnteredTwice() {
        TrackedEventMessage<?> purchase = purchased();
        TrackedEventMessage<?> assignment = assigned();
        EventFeed.deliverOneByOne(projection, purchase, assignment);

        EventFeed.deliverOneByOne(projection, assignment);
        EventFeed.deliver(projection, List.of(purchase, assignment, claimed()));

        assertThat(trail()).extracting(CanonicalEntry::action).containsExactly("SeatPoolPurchased", "SeatAssigned", "SeatClaimed");
        assertThat(new ChainVerifier().verdictOf(trail()).valid()).isTrue();
    }

    @Test
    void aBatchThatWouldLeaveAGapInAChainFailsAndWritesNothing() {
        EventFeed.deliverOneByOne(projection, purchased());
        TrackedEventMessage<?> afterAGap = events.at(poolId, 2, new SeatClaimed(poolId, orgId, seatId, "user-ada", NOW));

        assertThatThrownBy(() -> EventFeed.deliver(projection, List.of(organizationCreated(), afterAGap)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ends before sequence 1");

        assertThat(trail()).extracting(CanonicalEntry::action).containsExactly("SeatPoolPurchased");
    }

    /** The organization's entries in position order, as the verifier reads them. */
    private List<CanonicalEntry> trail() {
        return jdbc.query("""
                        select position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action, object_type,
                            object_id, pool_id, seat_id, details, prev_hash, hash from audit.entries where org_id = ? order by position""",
                (row, n) -> new CanonicalEntry(row.getLong("position"), row.getString("org_id"), row.getString("aggregate_id"), row.getLong("sequence"),
                        row.getTimestamp("occurred_at").toInstant(), row.getString("actor_id"), row.getString("actor_roles"), row.getString("request_id"),
                        row.getString("reason"), row.getString("action"), row.getString("object_type"), row.getString("object_id"),
                        row.getString("pool_id"), row.getString("seat_id"), row.getString("details"), row.getString("prev_hash"), row.getString("hash")),
                orgId);
    }

    private TrackedEventMessage<?> organizationCreated() {
        return events.recorded(orgId, new OrganizationCreated(orgId, "Acme", new BillingManager("user-manager", "manager@example.com")));
    }

    private TrackedEventMessage<?> purchased() {
        return events.recorded(poolId, new SeatPoolPurchased(poolId, orgId, PoolKind.ORDER, 3, Pricing.perSeat("eur", 500), BillingInterval.YEAR,
                PoolStatus.ACTIVE, null, null, NOW));
    }

    private TrackedEventMessage<?> assigned() {
        return events.recorded(poolId, new SeatAssigned(poolId, orgId, seatId, "ada@example.com", "secret-hash", NOW.plusSeconds(3600), Map.of(), NOW));
    }

    private TrackedEventMessage<?> claimed() {
        return events.recorded(poolId, new SeatClaimed(poolId, orgId, seatId, "user-ada", NOW));
    }
}
