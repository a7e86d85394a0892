package io.seatledger.auditformat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoints signed over a trail hold for it, and are broken by a rewritten chain, another key or a changed field. */
class CheckpointVerifierTest {

    private static final Instant SIGNED_AT = Instant.parse("2026-12-02T06:00:00.654321Z");

    private final KeyPair key = generate();
    private final String kid = SigningKeys.keyId(SigningKeys.x(key.getPublic()));
    private final List<CanonicalEntry> trail = Entries.chain(new int[]{0, 1, 0, 2, 1, 0, 2, 2, 1, 0}, 3);

    @Test
    void checkpointsAtEveryPositionHoldForTheTrailTheyWereSignedOver() {
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < trail.size(); i++) {
            checkpoints.add(signed("cp-" + i, trail.get(i).position(), Heads.of(trail, trail.get(i).position()).root()));
        }
        checkpoints.add(signed("before", 0, Heads.of(List.of(), 0).root()));
        CheckpointVerifier.Result result = verify(checkpoints, trail);
        assertThat(result.checked()).isEqualTo(trail.size() + 1);
        assertThat(result.valid()).as("%s", result).isTrue();
    }

    @Test
    void aWholeChainRewrittenWithRecomputedHashesBreaksAnOlderCheckpoint() {
        long upTo = trail.get(6).position();
        Checkpoint older = signed("older", upTo, Heads.of(trail, upTo).root());
        List<CanonicalEntry> rewritten = rewriteFrom(trail, 2, "{\"n\":\"forged\"}");
        assertThat(new ChainVerifier().verdictOf(rewritten).valid()).as("the rewritten chain links and hashes").isTrue();

        CheckpointVerifier.Result result = verify(List.of(older), rewritten);
        assertThat(result.firstInvalid()).isEqualTo(new CheckpointVerifier.Invalid("older", upTo, CheckpointVerifier.Problem.ROOT));
    }

    @Test
    void aRewriteAfterTheCheckpointLeavesItValid() {
        long upTo = trail.get(1).position();
        Checkpoint older = signed("older", upTo, Heads.of(trail, upTo).root());
        assertThat(verify(List.of(older), rewriteFrom(trail, 9, "{\"n\":\"later\"}")).valid()).isTrue();
    }

    @Test
    void aChangedFieldOrAnotherKeyBreaksTheSignature() {
        long upTo = trail.get(4).position();
        Checkpoint genuine = signed("cp", upTo, Heads.of(trail, upTo).root());
        Checkpoint movedUp = new Checkpoint("cp", "org-1", upTo + 1, genuine.headHash(), SIGNED_AT, kid, genuine.signature());
        Checkpoint otherOrg = new Checkpoint("cp", "org-2", upTo, genuine.headHash(), SIGNED_AT, kid, genuine.signature());
        Checkpoint garbled = new Checkpoint("cp", "org-1", upTo, genuine.headHash(), SIGNED_AT, kid, "not base64!");
        for (Checkpoint forged : List.of(movedUp, otherOrg, garbled)) {
            assertThat(verify(List.of(forged), trail).firstInvalid().problem()).isEqualTo(CheckpointVerifier.Problem.SIGNATURE);
        }
        KeyPair other = generate();
        Map<String, PublicKey> otherKeyUnderThisId = Map.of(kid, other.getPublic());
        assertThat(new CheckpointVerifierRun(List.of(genuine), otherKeyUnderThisId).over(trail).firstInvalid().problem())
                .isEqualTo(CheckpointVerifier.Problem.SIGNATURE);
        assertThat(new CheckpointVerifierRun(List.of(genuine), Map.of()).over(trail).firstInvalid().problem())
                .isEqualTo(CheckpointVerifier.Problem.UNKNOWN_KEY);
    }

    @Test
    void aJwksIsReadByThumbprintAndAKeyUnderAnotherNameIsRefused() {
        String x = SigningKeys.x(key.getPublic());
        JsonMapper json = JsonMapper.builder().build();
        Map<String, PublicKey> keys = SigningKeys.fromJwks(json.readTree(json.writeValueAsString(
                Map.of("keys", List.of(SigningKeys.jwk(x), Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB"))))));
        assertThat(keys).containsOnlyKeys(kid);
        assertThat(keys.get(kid).getEncoded()).isEqualTo(key.getPublic().getEncoded());
        Map<String, String> renamed = new java.util.HashMap<>(SigningKeys.jwk(x));
        renamed.put("kid", "mine");
        assertThatThrownBy(() -> SigningKeys.fromJwks(json.readTree(json.writeValueAsString(Map.of("keys", List.of(renamed))))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyIdIsTheRfc7638Thumbprint() {
        // RFC 8037, appendix A.3: the thumbprint of the example Ed25519 key
        assertThat(SigningKeys.keyId("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    /** The trail with the entry at {@code index} given other details and its aggregate's chain recomputed from there on. */
    private static List<CanonicalEntry> rewriteFrom(List<CanonicalEntry> trail, int index, String details) {
        String aggregate = trail.get(index).aggregateId();
        EntryHash hasher = new EntryHash();
        List<CanonicalEntry> rewritten = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < trail.size(); i++) {
            CanonicalEntry entry = trail.get(i);
            if (entry.aggregateId().equals(aggregate) && i >= index) {
                CanonicalEntry changed = new CanonicalEntry(entry.position(), entry.orgId(), entry.aggregateId(), entry.sequence(),
                        entry.occurredAt(), entry.actorId(), entry.actorRoles(), entry.requestId(), entry.reason(), entry.action(),
                        entry.objectType(), entry.objectId(), entry.poolId(), entry.seatId(), i == index ? details : entry.details(), previous, null);
                entry = changed.chained(previous, hasher.hex(changed));
            }
            if (entry.aggregateId().equals(aggregate)) {
                previous = entry.hash();
            }
            rewritten.add(entry);
        }
        return rewritten;
    }

    private Checkpoint signed(String id, long upTo, String root) {
        String signature = CheckpointSignature.sign(key.getPrivate(), CheckpointSignature.input("org-1", upTo, root, SIGNED_AT));
        return new Checkpoint(id, "org-1", upTo, root, SIGNED_AT, kid, signature);
    }

    private CheckpointVerifier.Result verify(List<Checkpoint> checkpoints, List<CanonicalEntry> entries) {
        return new CheckpointVerifierRun(checkpoints, Map.of(kid, key.getPublic())).over(entries);
    }

    private record CheckpointVerifierRun(List<Checkpoint> checkpoints, Map<String, PublicKey> keys) {
        CheckpointVerifier.Result over(List<CanonicalEntry> entries) {
            CheckpointVerifier verifier = new CheckpointVerifier(checkpoints, keys);
            entries.forEach(verifier::accept);
            return verifier.result();
        }
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
