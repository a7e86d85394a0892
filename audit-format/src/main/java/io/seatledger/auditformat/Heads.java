package io.seatledger.auditformat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An organization's state: the head (last entry) of each aggregate's chain, and the Merkle root over them
 * (docs/audit-format.md, "Organization root"). Heads are taken among the entries at or below a position, so the root
 * at any position can be recomputed from an export alone.
 */
public final class Heads {

    /** One aggregate's last entry. */
    public record Head(String aggregateId, long sequence, String hash) {
    }

    /** Heads by aggregate id, in UTF-16 code unit order (String's natural order). */
    private final TreeMap<String, Head> heads = new TreeMap<>();

    /** Takes {@code entry} into account if it is at or below {@code upTo} and later in its aggregate than the head so far. */
    public void add(CanonicalEntry entry, long upTo) {
        if (entry.position() > upTo) {
            return;
        }
        Head head = heads.get(entry.aggregateId());
        if (head == null || head.sequence() < entry.sequence()) {
            heads.put(entry.aggregateId(), new Head(entry.aggregateId(), entry.sequence(), entry.hash()));
        }
    }

    /** The heads among {@code entries} at or below {@code upTo}. */
    public static Heads of(Iterable<CanonicalEntry> entries, long upTo) {
        Heads heads = new Heads();
        entries.forEach(entry -> heads.add(entry, upTo));
        return heads;
    }

    public Map<String, Head> byAggregate() {
        return java.util.Collections.unmodifiableMap(heads);
    }

    /** The Merkle root over the heads, sorted by aggregate id, as lower-case hex. */
    public String root() {
        return Hex.of(root(heads.values()));
    }

    /** The Merkle root over {@code heads}, which must be sorted by aggregate id. */
    public static byte[] root(Iterable<Head> sortedHeads) {
        List<byte[]> leaves = new ArrayList<>();
        sortedHeads.forEach(head -> leaves.add(leaf(head)));
        return MerkleTree.root(leaves);
    }

    /** A head's leaf: aggregateId as a text of the hash input, sequence as 8 bytes big-endian, the hash's 32 bytes. */
    static byte[] leaf(Head head) {
        byte[] id = head.aggregateId().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + id.length + 8 + EntryHash.LENGTH).put((byte) 1).putInt(id.length).put(id)
                .putLong(head.sequence()).put(Hex.parse(head.hash())).array();
    }
}
