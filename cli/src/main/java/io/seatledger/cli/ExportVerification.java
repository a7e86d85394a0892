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
        ChainVerifier chain = new ChainVerifier();
        CheckpointVerifier[] checkpoints = new CheckpointVerifier[1];
        ExportEntries.of(export).forEach(new java.util.function.Consumer<>() {
            @Override
            public void accept(CanonicalEntry entry) {
                if (checkpoints[0] == null && checkpointsOf != null) {
                    checkpoints[0] = new CheckpointVerifier(checkpointsOf.apply(orgId != null ? orgId : entry.orgId()), keys);
                }
                chain.accept(entry);
                if (checkpoints[0] != null) {
                    checkpoints[0].accept(entry);
                }
            }
        });
        if (checkpoints[0] == null && checkpointsOf != null) {
            if (orgId == null) {
                throw new IllegalArgumentException("the export is empty: name the organization (--org) to check its checkpoints");
            }
            checkpoints[0] = new CheckpointVerifier(checkpointsOf.apply(orgId), keys);
        }
        return new Report(chain.verdict(), checkpoints[0] == null ? null : checkpoints[0].result());
    }
}
