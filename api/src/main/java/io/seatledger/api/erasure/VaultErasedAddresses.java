package io.seatledger.api.erasure;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.projections.ErasedAddresses;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Set;

/**
 * Erased addresses stored in clear (by events written before sealing) as the vault records them: an address reads as erased when its digest is among its organization's
 * erasures. Each organization's erasures are remembered for a second, so that a bulk assignment costs one query and
 * another instance's erasure is seen within that second (the erasure itself scrubs what was written before).
 * An organization without erasures costs no digest.
 */
public class VaultErasedAddresses implements ErasedAddresses {

    static final Duration REMEMBERED = Duration.ofSeconds(1);

    private final SubjectDigests digests;
    private final JdbcTemplate jdbc;
    private final Cache<String, Set<String>> erased = Caffeine.newBuilder().expireAfterWrite(REMEMBERED).maximumSize(10_000).build();

    public VaultErasedAddresses(SubjectDigests digests, JdbcTemplate jdbc) {
        this.digests = digests;
        this.jdbc = jdbc;
    }

    @Override
    public String shown(String orgId, String email) {
        if (email == null || PersonalData.isSealed(email)) {
            // a sealed address is kept as stored: its key decides how it reads (SubjectKeys)
            return email;
        }
        Set<String> subjects = erased.get(orgId, org -> Set.copyOf(
                jdbc.queryForList("select subject_digest from vault.erasures where org_id = ?", String.class, org)));
        return !subjects.isEmpty() && subjects.contains(digests.of(orgId, email)) ? ERASED : email;
    }

    /** Forgets what was remembered of the organization: it has a new erasure. */
    void forget(String orgId) {
        erased.invalidate(orgId);
    }
}
