package io.seatledger.query.audit;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.EntryHash;
import io.seatledger.query.Page;
import io.seatledger.query.ReadModelRows;
import io.seatledger.query.ReadPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuditReader} and {@link AuditVerifier} on audit entries stored as the projection stores them (chained per
 * aggregate, hashed by audit-format): pages and filters, an export read page by page, the verdict on an intact and a
 * forged trail; and never another tenant's entries.
 */
class AuditReaderTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private final ReadPath path = ReadPath.get();
    private final ReadModelRows rows = new ReadModelRows(path.database());
    private final AuditReader reader = new AuditReader(path.tenant(), 2, 2);
    private final String orgId = "org-" + UUID.randomUUID();
    private final String otherOrgId = "org-" + UUID.randomUUID();
    private final Map<String, CanonicalEntry> heads = new HashMap<>();

    @Test
    void entriesArePagedInPositionOrderAndFiltered() {
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positions.add(append(orgId, "pool-1", i % 2 == 0 ? "user-ada" : "user-bob", i < 3 ? "SeatAssigned" : "SeatClaimed", T0.plusSeconds(i)));
            append(otherOrgId, "pool-9", "user-ada", "SeatAssigned", T0.plusSeconds(i));
        }

        Page<AuditEntry> first = reader.page(orgId, AuditFilter.ALL, 3).block();
        Page<AuditEntry> rest = reader.page(orgId, AuditFilter.ALL.after(Long.parseLong(first.next())), 3).block();

        assertThat(first.items()).extracting(AuditEntry::position).containsExactlyElementsOf(positions.subList(0, 3));
        assertThat(first.next()).isEqualTo(String.valueOf(positions.get(2)));
        assertThat(rest.items()).extracting(AuditEntry::position).containsExactlyElementsOf(positions.subList(3, 5));
        assertThat(rest.next()).isNull();
        assertThat(reader.page(orgId, new AuditFilter(null, null, null, "user-bob", null), null).block().items())
                .extracting(AuditEntry::position).containsExactly(positions.get(1), positions.get(3));
        assertThat(reader.page(orgId, new AuditFilter(null, null, null, null, "SeatClaimed"), null).block().items())
                .extracting(AuditEntry::position).containsExactly(positions.get(3), positions.get(4));
        assertThat(reader.page(orgId, new AuditFilter(null, T0.plusSeconds(1), T0.plusSeconds(3), null, null), null).block().items())
                .extracting(AuditEntry::position).containsExactly(positions.get(1), positions.get(2));
    }

    @Test
    void anEntryReadsAsItWasStored() {
        long position = append(orgId, "pool-1", "user-ada", "SeatAssigned", T0);

        AuditEntry entry = reader.page(orgId, AuditFilter.ALL, null).block().items().get(0);

        assertThat(entry.position()).isEqualTo(position);
        assertThat(entry.occurredAt()).isEqualTo(T0);
        assertThat(entry.actor().userId()).isEqualTo("user-ada");
        assertThat(entry.actorRoles()).isEqualTo("billing-admin,seat-manager");
        assertThat(entry.details().get("capacity").asInt()).isEqualTo(3);
        assertThat(entry.hash()).isEqualTo(heads.get(orgId + "/pool-1").hash());
    }

    @Test
    void anExportReadsEveryPageOfItsTenantOnly() {
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positions.add(append(orgId, "pool-" + (i % 2), "user-ada", "SeatAssigned", T0.plusSeconds(i)));
            append(otherOrgId, "pool-9", "user-ada", "SeatAssigned", T0.plusSeconds(i));
        }

        List<AuditEntry> exported = reader.stream(orgId, AuditFilter.ALL).collectList().block();

        assertThat(exported).extracting(AuditEntry::position).containsExactlyElementsOf(positions);
        assertThat(exported).extracting(AuditEntry::orgId).containsOnly(orgId);
        assertThat(reader.exportsRunning(orgId)).isZero();
    }

    @Test
    void theVerifierAcceptsAnIntactTrailAndNamesAForgedEntry() {
        AuditVerifier verifier = new AuditVerifier(path.tenant(), new CheckpointReader(path.tenant(), path.database()));
        for (int i = 0; i < 3; i++) {
            append(orgId, "pool-" + (i % 2), "user-ada", "SeatAssigned", T0.plusSeconds(i));
            append(otherOrgId, "pool-9", "user-ada", "SeatAssigned", T0.plusSeconds(i));
        }
        long forged = ReadModelRows.nextPosition();
        CanonicalEntry head = heads.get(otherOrgId + "/pool-9");
        rows.auditEntry(entry(forged, otherOrgId, "pool-9", head.sequence() + 1, "user-eve", "SeatAssigned", T0, head.hash()).chained(head.hash(),
                "0".repeat(64)), UUID.randomUUID().toString());

        AuditVerifier.Verification intact = verifier.verify(orgId).block();
        AuditVerifier.Verification tampered = verifier.verify(otherOrgId).block();

        assertThat(intact.valid()).isTrue();
        assertThat(intact.entries()).isEqualTo(3);
        assertThat(intact.headHash()).isNotNull();
        assertThat(tampered.valid()).isFalse();
        assertThat(tampered.firstInvalidPosition()).isEqualTo(forged);
        assertThat(tampered.fault().kind()).isEqualTo("modified");
    }

    /** Appends the next entry of {@code aggregateId}'s chain in {@code org}, hashed as the projection hashes it; its position. */
    private long append(String org, String aggregateId, String actor, String action, Instant at) {
        CanonicalEntry head = heads.get(org + "/" + aggregateId);
        long position = ReadModelRows.nextPosition();
        CanonicalEntry unhashed = entry(position, org, aggregateId, head == null ? 0 : head.sequence() + 1, actor, action, at,
                head == null ? null : head.hash());
        CanonicalEntry entry = unhashed.chained(unhashed.prevHash(), new EntryHash().hex(unhashed));
        rows.auditEntry(entry, UUID.randomUUID().toString());
        heads.put(org + "/" + aggregateId, entry);
        return position;
    }

    private static CanonicalEntry entry(long position, String org, String aggregateId, long sequence, String actor, String action, Instant at,
                                        String prevHash) {
        return new CanonicalEntry(position, org, aggregateId, sequence, at, actor, "billing-admin,seat-manager", "request-1", null, action,
                "seat_pool", aggregateId, aggregateId, null, "{\"capacity\":3,\"poolId\":\"" + aggregateId + "\"}", prevHash, null);
    }
}
