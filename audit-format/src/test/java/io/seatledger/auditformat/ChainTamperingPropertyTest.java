package io.seatledger.auditformat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any interleaving of aggregates verifies; any single tampering of it is found, named and placed; an aggregate's last
 * entry removed leaves the chains valid but changes the organization's root, which a checkpoint kept earlier signed.
 */
class ChainTamperingPropertyTest {

    @Provide
    Arbitrary<int[]> interleavings() {
        return Arbitraries.integers().between(0, 4).array(int[].class).ofMinSize(2).ofMaxSize(80);
    }

    @Property(tries = 300)
    void everyInterleavingVerifies(@ForAll("interleavings") int[] order) {
        List<CanonicalEntry> entries = Entries.chain(order, 5);
        ChainVerifier.Verdict verdict = new ChainVerifier().verdictOf(entries);
        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.headsRoot()).isEqualTo(Heads.of(entries, Long.MAX_VALUE).root());
    }

    @Property(tries = 1000)
    void oneTamperingIsAlwaysFoundAndNamed(@ForAll("interleavings") int[] order, @ForAll @IntRange(min = 0, max = 3) int kind,
                                           @ForAll @IntRange(min = 0, max = 10_000) int pick) {
        List<CanonicalEntry> entries = new ArrayList<>(Entries.chain(order, 5));
        String checkpointedRoot = Heads.of(entries, Long.MAX_VALUE).root();
        int index = pick % entries.size();
        CanonicalEntry target = entries.get(index);
        Fault expected;
        switch (kind) {
            case 0 -> {
                entries.set(index, new CanonicalEntry(target.position(), target.orgId(), target.aggregateId(), target.sequence(), target.occurredAt(),
                        target.actorId(), target.actorRoles(), target.requestId(), "tampered", target.action(), target.objectType(),
                        target.objectId(), target.poolId(), target.seatId(), target.details(), target.prevHash(), target.hash()));
                expected = new Fault(Fault.Kind.MODIFIED, target.position(), target.aggregateId(), target.sequence());
            }
            case 1 -> {
                entries.remove(index);
                CanonicalEntry next = entries.stream().filter(e -> e.aggregateId().equals(target.aggregateId()) && e.sequence() == target.sequence() + 1)
                        .findFirst().orElse(null);
                expected = next == null ? null : new Fault(Fault.Kind.DELETED, next.position(), next.aggregateId(), next.sequence());
            }
            case 2 -> {
                CanonicalEntry forged = Entries.rehashed(Entries.unhashed(target.position() + 1, target.aggregateId(), target.sequence(), "{\"forged\":1}")
                        .chained(target.prevHash(), null));
                entries.add(index + 1, forged);
                expected = new Fault(Fault.Kind.INSERTED, forged.position(), forged.aggregateId(), forged.sequence());
            }
            default -> {
                int later = -1;
                for (int i = index + 1; i < entries.size() && later < 0; i++) {
                    if (entries.get(i).aggregateId().equals(target.aggregateId())) {
                        later = i;
                    }
                }
                if (later < 0) {
                    return; // nothing of its aggregate after it to trade places with
                }
                CanonicalEntry other = entries.get(later);
                entries.set(index, Entries.rehashed(at(other, target.position())));
                entries.set(later, Entries.rehashed(at(target, other.position())));
                expected = new Fault(Fault.Kind.REORDERED, target.position(), other.aggregateId(), other.sequence());
            }
        }
        ChainVerifier.Verdict verdict = new ChainVerifier().verdictOf(entries);
        if (expected == null) {
            // an aggregate's last entry removed: no chain shows it, the root at the checkpoint's position does
            assertThat(verdict.valid()).isTrue();
            assertThat(verdict.headsRoot()).isNotEqualTo(checkpointedRoot);
            return;
        }
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.fault()).isEqualTo(expected);
    }

    private static CanonicalEntry at(CanonicalEntry e, long position) {
        return new CanonicalEntry(position, e.orgId(), e.aggregateId(), e.sequence(), e.occurredAt(), e.actorId(), e.actorRoles(), e.requestId(),
                e.reason(), e.action(), e.objectType(), e.objectId(), e.poolId(), e.seatId(), e.details(), e.prevHash(), e.hash());
    }
}
