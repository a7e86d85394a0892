package io.seatledger.auditformat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6962's tree hash against the reference roots of Certificate Transparency, and the organization root over heads. */
class MerkleTreeTest {

    /** The leaves of the reference tree and its roots for 0 to 8 leaves (certificate-transparency's merkle tree tests). */
    private static final List<String> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f");
    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsMatchTheReferenceTreeForEverySize() {
        for (int size = 0; size <= LEAVES.size(); size++) {
            List<byte[]> leaves = new ArrayList<>();
            LEAVES.subList(0, size).forEach(leaf -> leaves.add(Hex.parse(leaf)));
            assertThat(Hex.of(MerkleTree.root(leaves))).as("%d leaves", size).isEqualTo(ROOTS.get(size));
        }
    }

    @Test
    void theOrganizationRootCoversEachAggregatesHeadAtOrBelowAPosition() {
        List<CanonicalEntry> entries = Entries.chain(new int[]{0, 1, 0, 2, 1, 0}, 3);
        long third = entries.get(2).position();
        Heads early = Heads.of(entries, third);
        assertThat(early.byAggregate()).containsOnlyKeys("pool-0", "pool-1");
        assertThat(early.byAggregate().get("pool-0").sequence()).isEqualTo(1);
        assertThat(early.root()).isEqualTo(Hex.of(MerkleTree.root(List.of(
                Heads.leaf(new Heads.Head("pool-0", 1, entries.get(2).hash())), Heads.leaf(new Heads.Head("pool-1", 0, entries.get(1).hash()))))));

        Heads all = Heads.of(entries, Long.MAX_VALUE);
        assertThat(all.root()).isNotEqualTo(early.root());
        // the order entries come in does not matter, only which are at or below the position
        List<CanonicalEntry> shuffled = new ArrayList<>(entries);
        java.util.Collections.reverse(shuffled);
        assertThat(Heads.of(shuffled, Long.MAX_VALUE).root()).isEqualTo(all.root());
        assertThat(new ChainVerifier().verdictOf(entries).headsRoot()).isEqualTo(all.root());
    }

    @Test
    void aLeafIsTheAggregateIdLengthPrefixedThenSequenceThenHash() {
        String hash = "ff".repeat(32);
        byte[] leaf = Heads.leaf(new Heads.Head("p\u00e9", 258, hash));
        assertThat(Hex.of(leaf)).isEqualTo("01" + "00000003" + "70c3a9" + "0000000000000102" + hash);
    }

    @Test
    void noHeadsHashToTheEmptyRoot() {
        assertThat(new Heads().root()).isEqualTo(ROOTS.get(0));
        assertThat(Heads.of(List.of(Entries.unhashed(5, "pool-1", 0, "{}").chained(null, "aa".repeat(32))), 4).byAggregate()).isEqualTo(Map.of());
    }
}
