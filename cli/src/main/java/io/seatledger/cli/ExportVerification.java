package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.ChainVerifier;
import io.seatledger.auditformat.Checkpoint;
import io.seatledger.auditformat.CheckpointVerifier;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Verifies an export in one pass: every entry through the chain verifier and, when checkpoints are given, through the
 * checkpoint verifier, whose checkpoints belong to the organization of the export's entries unless one is named.
 */
final class ExportVerification {

    /** The chain's verdict and, if checkpoints were given, theirs (else null). */
    record Report(ChainVerifier.Verdict chain, CheckpointVerifier.Result checkpoints) {

        boolean valid() {
            return chain.valid() && (checkpoints == null || checkpoints.valid());
        }
    }

    private ExportVerification() {
    }

    /**
     * {@code checkpointsOf} turns the organization's id (the one named, else the first entry's; null for an empty
     * export with none named) into the checkpoints to check; null checks none.
     */
    static Report verify(Path export, String orgId, Function<String, List<Checkpoint>> checkpointsOf, Map<String, PublicKey> keys)
            throws IOException {
        Pass pass = new Pass(orgId, checkpointsOf, keys);
        ExportEntries.of(export).forEach(pass);
        return pass.report();
    }

    /** One pass over the entries; the checkpoint verifier starts at the first entry, which names the organization. */
    private static final class Pass implements Consumer<CanonicalEntry> {

        private final ChainVerifier chain = new ChainVerifier();
        private final String orgId;
        private final Function<String, List<Checkpoint>> checkpointsOf;
        private final Map<String, PublicKey> keys;
        private CheckpointVerifier checkpoints;

        Pass(String orgId, Function<String, List<Checkpoint>> checkpointsOf, Map<String, PublicKey> keys) {
            this.orgId = orgId;
            this.checkpointsOf = checkpointsOf;
            this.keys = keys;
        }

        @Override
        public void accept(CanonicalEntry entry) {
            if (checkpoints == null && checkpointsOf != null) {
                checkpoints = new CheckpointVerifier(checkpointsOf.apply(orgId != null ? orgId : entry.orgId()), keys);
            }
            chain.accept(entry);
            if (checkpoints != null) {
                checkpoints.accept(entry);
            }
        }

        Report report() {
            if (checkpoints == null && checkpointsOf != null) {
                if (orgId == null) {
                    throw new IllegalArgumentException("the export is empty: name the organization (--org) to check its checkpoints");
                }
                checkpoints = new CheckpointVerifier(checkpointsOf.apply(orgId), keys);
            }
            return new Report(chain.verdict(), checkpoints == null ? null : checkpoints.result());
        }
    }
}
