package io.seatledger.auditformat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of fault is found and named at the first entry where it shows; an intact trail passes whatever its interleaving. */
class ChainVerifierTest {

    /** Three aggregates interleaved as concurrent commands interleave them: entries 0..11. */
    private static final int[] ORDER = {0, 1, 1, 0, 2, 2, 0, 1, 2, 0, 0, 1};

    private final List<CanonicalEntry> entries = new ArrayList<>(Entries.chain(ORDER, 3));

    @Test
    void anIntactTrailIsValidAndGivesTheRootOfItsHeads() {
        ChainVerifier.Verdict verdict = new ChainVerifier().verdictOf(entries);
        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.fault()).isNull();
        assertThat(verdict.entries()).isEqualTo(12);
        assertThat(verdict.headsRoot()).isEqualTo(Heads.of(entries, Long.MAX_VALUE).root());
        assertThat(new ChainVerifier().verdictOf(List.of())).isEqualTo(new ChainVerifier.Verdict(true, 0, null, null));
    }

    @Test
    void aChangedEntryIsModified() {
        CanonicalEntry original = entries.get(5);
        entries.set(5, new CanonicalEntry(original.position(), original.orgId(), original.aggregateId(), original.sequence(), original.occurredAt(),
                "mallory", original.actorRoles(), original.requestId(), original.reason(), original.action(), original.objectType(), original.objectId(),
                original.poolId(), original.seatId(), original.details(), original.prevHash(), original.hash()));
        assertFault(Fault.Kind.MODIFIED, original.position());
    }

    @Test
    void aRemovedEntryIsDeletedAtTheNextEntryOfItsAggregate() {
        entries.remove(3); // pool-0's sequence 1; its sequence 2 is entries[6], now at index 5
        assertFault(Fault.Kind.DELETED, original(6));
    }

    @Test
    void anEntryRepeatingASequenceIsInserted() {
        CanonicalEntry copy = entries.get(7);
        CanonicalEntry forged = Entries.rehashed(Entries.unhashed(copy.position() + 1, copy.aggregateId(), copy.sequence(), "{\"forged\":true}")
                .chained(copy.prevHash(), null));
        entries.add(8, forged);
        assertFault(Fault.Kind.INSERTED, forged.position());
    }

    @Test
    void aFirstEntryLinkingToAPredecessorIsInserted() {
        CanonicalEntry forged = Entries.rehashed(Entries.unhashed(entries.get(11).position() + 5, "pool-9", 0, "{}").chained(entries.get(0).hash(), null));
        entries.add(forged);
        assertFault(Fault.Kind.INSERTED, forged.position());
    }

    @Test
    void twoEntriesOfAnAggregateSwappedAreReorderedEvenWithTheirHashesRecomputed() {
        // pool-1's sequences 1 and 2 (entries 2 and 7) trade positions
        swapPositions(2, 7, false);
        assertFault(Fault.Kind.REORDERED, original(2));
        entries.clear();
        entries.addAll(Entries.chain(ORDER, 3));
        swapPositions(2, 7, true);
        assertFault(Fault.Kind.REORDERED, original(2));
    }

    @Test
    void anEntryLinkedToAnotherThanItsPredecessorIsReordered() {
        CanonicalEntry entry = entries.get(9); // pool-0's sequence 3, linked to sequence 2
        entries.set(9, Entries.rehashed(entry.chained(entries.get(0).hash(), null)));
        assertFault(Fault.Kind.REORDERED, entry.position());
    }

    @Test
    void positionsGoingBackwardsAreReordered() {
        CanonicalEntry moved = entries.remove(4);
        entries.add(6, moved);
        assertThat(new ChainVerifier().verdictOf(entries).fault().kind()).isEqualTo(Fault.Kind.REORDERED);
    }

    private long original(int index) {
        return Entries.chain(ORDER, 3).get(index).position();
    }

    private void swapPositions(int first, int second, boolean rehash) {
        CanonicalEntry a = entries.get(first);
        CanonicalEntry b = entries.get(second);
        CanonicalEntry movedA = withPosition(a, b.position());
        CanonicalEntry movedB = withPosition(b, a.position());
        entries.set(first, rehash ? Entries.rehashed(movedB) : movedB);
        entries.set(second, rehash ? Entries.rehashed(movedA) : movedA);
    }

    private static CanonicalEntry withPosition(CanonicalEntry e, long position) {
        return new CanonicalEntry(position, e.orgId(), e.aggregateId(), e.sequence(), e.occurredAt(), e.actorId(), e.actorRoles(), e.requestId(),
                e.reason(), e.action(), e.objectType(), e.objectId(), e.poolId(), e.seatId(), e.details(), e.prevHash(), e.hash());
    }

    private void assertFault(Fault.Kind kind, long position) {
        ChainVerifier.Verdict verdict = new ChainVerifier().verdictOf(entries);
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.fault().kind()).isEqualTo(kind);
        assertThat(verdict.fault().position()).isEqualTo(position);
    }
}
