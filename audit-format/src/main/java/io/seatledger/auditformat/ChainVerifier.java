package io.seatledger.auditformat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies an organization's trail from its entries in position order (the order of every export), one entry at a
 * time, keeping only each aggregate's last sequence and hash: no entry is held, and the work per entry is its hash
 * and a lookup. Each entry is checked in this order (docs/audit-format.md, "Verification"): its position is above
 * the one before (else {@code REORDERED}); its sequence is not one its aggregate already has ({@code INSERTED}); it does
 * not skip a sequence ({@code DELETED}, or {@code REORDERED} when the skipped entry turns up later); it links to its
 * aggregate's previous entry ({@code REORDERED}; a first entry linking anywhere is {@code INSERTED}); its hash is that
 * of what it records ({@code MODIFIED}). The first fault in position order is the answer. Removing an aggregate's last
 * entries leaves no trace in the chains themselves: a signed checkpoint catches that ({@link CheckpointVerifier}).
 * Not thread-safe; one instance per verification.
 */
public final class ChainVerifier {

    /** The verdict: {@code headsRoot} is the Merkle root over every aggregate's last entry (null for an empty trail). */
    public record Verdict(boolean valid, long entries, String headsRoot, Fault fault) {
    }

    private static final class Chain {
        final String aggregateId;
        long next;
        String lastHash;

        Chain(String aggregateId) {
            this.aggregateId = aggregateId;
        }
    }

    private final EntryHash hasher = new EntryHash();
    private final byte[] digest = new byte[EntryHash.LENGTH];
    private final Map<String, Chain> chains = new HashMap<>();
    private long entries;
    private long lastPosition = Long.MIN_VALUE;
    private Fault fault;
    /** A skipped range [gapFrom, gapTo) of gapAggregate whose first fault is DELETED unless an entry of it turns up. */
    private String gapAggregate;
    private long gapFrom;
    private long gapTo;

    public void accept(CanonicalEntry entry) {
        entries++;
        Chain chain = chains.get(entry.aggregateId());
        if (chain == null) {
            chain = new Chain(entry.aggregateId());
            chains.put(entry.aggregateId(), chain);
        }
        long sequence = entry.sequence();
        if (fault == null) {
            check(entry, chain);
        } else if (gapAggregate != null && gapAggregate.equals(entry.aggregateId()) && sequence >= gapFrom && sequence < gapTo) {
            fault = fault.as(Fault.Kind.REORDERED);
            gapAggregate = null;
        }
        if (sequence >= chain.next) {
            chain.next = sequence + 1;
            chain.lastHash = entry.hash();
        }
        lastPosition = Math.max(lastPosition, entry.position());
    }

    private void check(CanonicalEntry entry, Chain chain) {
        long sequence = entry.sequence();
        if (entry.position() <= lastPosition) {
            fail(Fault.Kind.REORDERED, entry);
        } else if (sequence < chain.next) {
            fail(Fault.Kind.INSERTED, entry);
        } else if (sequence > chain.next) {
            fail(Fault.Kind.DELETED, entry);
            gapAggregate = entry.aggregateId();
            gapFrom = chain.next;
            gapTo = sequence;
        } else if (sequence == 0 && entry.prevHash() != null) {
            fail(Fault.Kind.INSERTED, entry);
        } else if (sequence > 0 && !Objects.equals(entry.prevHash(), chain.lastHash)) {
            fail(Fault.Kind.REORDERED, entry);
        } else if (!hashMatches(entry)) {
            fail(Fault.Kind.MODIFIED, entry);
        }
    }

    private boolean hashMatches(CanonicalEntry entry) {
        try {
            hasher.digest(entry, digest);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        return Hex.matches(entry.hash(), digest);
    }

    private void fail(Fault.Kind kind, CanonicalEntry entry) {
        fault = new Fault(kind, entry.position(), entry.aggregateId(), entry.sequence());
    }

    /** Accepts every entry of {@code entries}, in position order, and answers the verdict. */
    public Verdict verdictOf(Iterable<CanonicalEntry> entries) {
        entries.forEach(this::accept);
        return verdict();
    }

    /** The verdict over every entry accepted. */
    public Verdict verdict() {
        return new Verdict(fault == null, entries, entries == 0 ? null : headsRoot(), fault);
    }

    private String headsRoot() {
        List<Heads.Head> heads = new ArrayList<>(chains.size());
        chains.values().stream().sorted(java.util.Comparator.comparing(chain -> chain.aggregateId))
                .forEach(chain -> heads.add(new Heads.Head(chain.aggregateId, chain.next - 1, chain.lastHash)));
        try {
            return Hex.of(Heads.root(heads));
        } catch (RuntimeException malformed) {
            return null;
        }
    }
}
