package io.seatledger.auditformat;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks checkpoints kept earlier against a trail read in position order (docs/audit-format.md, "Checkpoints"): each
 * checkpoint's signature with the key its {@code keyId} names, and its {@code headHash} against the root recomputed
 * over the aggregates' heads at its {@code upTo}. Entries are taken one at a time; only each aggregate's head so far is
 * kept. The first invalid checkpoint, in {@code upTo} order, is the answer. Not thread-safe.
 */
public final class CheckpointVerifier {

    /** What is wrong with a checkpoint. */
    public enum Problem {
        /** No published key has its key id. */
        UNKNOWN_KEY,
        /** Its signature is not the key's signature of its bytes. */
        SIGNATURE,
        /** The trail's root at its upTo is not its headHash: the trail changed since it was signed. */
        ROOT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public record Invalid(String checkpointId, long upTo, Problem problem) {
    }

    /** How many checkpoints were checked and the first invalid one (null when all hold). */
    public record Result(int checked, Invalid firstInvalid) {

        public boolean valid() {
            return firstInvalid == null;
        }
    }

    private final List<Checkpoint> pending;
    private final Map<String, PublicKey> keys;
    private final Map<String, Heads.Head> heads = new HashMap<>();
    private int next;
    private Invalid firstInvalid;

    public CheckpointVerifier(List<Checkpoint> checkpoints, Map<String, PublicKey> keysById) {
        this.pending = new ArrayList<>(checkpoints);
        this.pending.sort(Comparator.comparingLong(Checkpoint::upTo));
        this.keys = keysById;
    }

    public void accept(CanonicalEntry entry) {
        if (next == pending.size()) {
            return;
        }
        while (next < pending.size() && pending.get(next).upTo() < entry.position()) {
            settle(pending.get(next++));
        }
        Heads.Head head = heads.get(entry.aggregateId());
        if (head == null || head.sequence() < entry.sequence()) {
            heads.put(entry.aggregateId(), new Heads.Head(entry.aggregateId(), entry.sequence(), entry.hash()));
        }
    }

    /** The result once every entry was accepted. */
    public Result result() {
        while (next < pending.size()) {
            settle(pending.get(next++));
        }
        return new Result(pending.size(), firstInvalid);
    }

    private void settle(Checkpoint checkpoint) {
        if (firstInvalid != null) {
            return;
        }
        PublicKey key = keys.get(checkpoint.keyId());
        Problem problem = null;
        if (key == null) {
            problem = Problem.UNKNOWN_KEY;
        } else if (!CheckpointSignature.verifies(key, signedBytes(checkpoint), checkpoint.signature())) {
            problem = Problem.SIGNATURE;
        } else if (!checkpoint.headHash().equals(root())) {
            problem = Problem.ROOT;
        }
        if (problem != null) {
            firstInvalid = new Invalid(checkpoint.checkpointId(), checkpoint.upTo(), problem);
        }
    }

    private static byte[] signedBytes(Checkpoint checkpoint) {
        try {
            return checkpoint.signedBytes();
        } catch (IllegalArgumentException malformed) {
            return new byte[0];
        }
    }

    private String root() {
        List<Heads.Head> sorted = new ArrayList<>(heads.values());
        sorted.sort(Comparator.comparing(Heads.Head::aggregateId));
        try {
            return Hex.of(Heads.root(sorted));
        } catch (RuntimeException malformed) {
            return null;
        }
    }
}
