package io.seatledger.api.erasure;

import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.PersonalData;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Objects;

import static io.seatledger.projections.ErasedAddresses.ERASED;

/**
 * Finds a subject's address in the read models by its digest and replaces it with
 * {@link io.seatledger.projections.ErasedAddresses#ERASED}. Matching by digest (each address of the organization is
 * digested as the pool compares addresses: NFC, case folded) means a pending erasure can be finished without the
 * address it was asked for, which is never stored.
 */
public class ReadModelScrub {

    /** A seat the subject holds or is invited to. */
    public record HeldSeat(String poolId, String seatId) {
    }

    private final JdbcTemplate jdbc;
    private final SubjectDigests digests;

    public ReadModelScrub(JdbcTemplate jdbc, SubjectDigests digests) {
        this.jdbc = jdbc;
        this.digests = digests;
    }

    /** The organization's seats that still occupy capacity for this subject. */
    public List<HeldSeat> occupiedSeats(String orgId, String digest) {
        return jdbc.query("select pool_id, seat_id, email from read_model.seats where org_id = ? and status in ('PENDING', 'CLAIMED')",
                        (row, i) -> holds(orgId, digest, row.getString(3)) ? new HeldSeat(row.getString(1), row.getString(2)) : null, orgId)
                .stream().filter(Objects::nonNull).toList();
    }

    /**
     * Replaces the subject's address stored in clear (by events written before sealing) in every read-model row of the
     * organization; returns how many rows changed. Sealed addresses stay: their destroyed key already makes them read
     * as erased, and a rebuild writes them the same.
     */
    public int scrub(String orgId, String digest) {
        List<String> seats = jdbc.query("select seat_id, email from read_model.seats where org_id = ? and email <> ?",
                        (row, i) -> isSubject(orgId, digest, row.getString(2)) ? row.getString(1) : null, orgId, ERASED)
                .stream().filter(Objects::nonNull).toList();
        int changed = 0;
        for (String seatId : seats) {
            changed += jdbc.update("update read_model.seats set email = ? where org_id = ? and seat_id = ?", ERASED, orgId, seatId);
        }
        List<String> managers = jdbc.queryForList("select billing_manager_email from read_model.organizations where org_id = ?", String.class, orgId);
        if (managers.stream().anyMatch(manager -> isSubject(orgId, digest, manager))) {
            changed += jdbc.update("update read_model.organizations set billing_manager_email = ? where org_id = ?", ERASED, orgId);
        }
        return changed;
    }

    /** Whether a stored address, sealed or in clear, is the subject's. */
    private boolean holds(String orgId, String digest, String email) {
        return PersonalData.isSealed(email) ? PersonalData.digest(email).equals(digest) : isSubject(orgId, digest, email);
    }

    private boolean isSubject(String orgId, String digest, String email) {
        return email != null && !ERASED.equals(email) && Emails.isValid(email) && digests.of(orgId, email).equals(digest);
    }
}
