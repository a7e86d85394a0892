package io.seatledger.auditformat;

import java.security.MessageDigest;
import java.util.List;

/**
 * The Merkle tree hash of RFC 6962 (section 2.1): a leaf is SHA-256(0x00 || leaf), a node SHA-256(0x01 || left || right),
 * the left subtree holding the largest power of two below the number of leaves; no leaves hash to SHA-256 of nothing.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /** The root over {@code leaves}, in their order. */
    public static byte[] root(List<byte[]> leaves) {
        MessageDigest sha256 = EntryHash.sha256();
        if (leaves.isEmpty()) {
            return sha256.digest();
        }
        return root(leaves, 0, leaves.size(), sha256);
    }

    private static byte[] root(List<byte[]> leaves, int from, int to, MessageDigest sha256) {
        if (to - from == 1) {
            sha256.update((byte) 0);
            sha256.update(leaves.get(from));
            return sha256.digest();
        }
        int split = Integer.highestOneBit(to - from - 1);
        byte[] left = root(leaves, from, from + split, sha256);
        byte[] right = root(leaves, from + split, to, sha256);
        sha256.update((byte) 1);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }
}
