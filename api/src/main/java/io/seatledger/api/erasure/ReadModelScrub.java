package io.seatledger.api.erasure;

import io.seatledger.messages.common.Emails;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.seatledger.projections.ErasedAddresses.ERASED;

import java.util.List;

/**
 * Finds an address in the read models and replaces it with {@link io.seatledger.projections.ErasedAddresses#ERASED}. Addresses are compared as the write model
 * compares them ({@link Emails#sameAddress}: NFC and case folding), in Java, since PostgreSQL's {@code lower} follows
 * the database's collation.
 */
public class ReadModelScrub {

    /** A seat the subject holds or is invited to. */
    public record HeldSeat(String poolId, String seatId) {
    }

    private final JdbcTemplate jdbc;

    public ReadModelScrub(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The organization's seats that still occupy capacity for this address. */
    public List<HeldSeat> occupiedSeats(String orgId, String email) {
        return jdbc.query("select pool_id, seat_id, email from read_model.seats where org_id = ? and status in ('PENDING', 'CLAIMED')",
                        (row, i) -> Emails.sameAddress(email, row.getString(3)) ? new HeldSeat(row.getString(1), row.getString(2)) : null, orgId)
                .stream().filter(java.util.Objects::nonNull).toList();
    }

    /** Replaces the address in every read-model row of the organization; returns how many rows changed. */
    public int scrub(String orgId, String email) {
        List<String> seats = jdbc.query("select seat_id, email from read_model.seats where org_id = ? and email <> ?",
                        (row, i) -> Emails.sameAddress(email, row.getString(2)) ? row.getString(1) : null, orgId, ERASED)
                .stream().filter(java.util.Objects::nonNull).toList();
        int changed = 0;
        for (String seatId : seats) {
            changed += jdbc.update("update read_model.seats set email = ? where org_id = ? and seat_id = ?", ERASED, orgId, seatId);
        }
        List<String> managers = jdbc.queryForList("select billing_manager_email from read_model.organizations where org_id = ?", String.class, orgId);
        if (managers.stream().anyMatch(manager -> Emails.sameAddress(email, manager))) {
            changed += jdbc.update("update read_model.organizations set billing_manager_email = ? where org_id = ?", ERASED, orgId);
        }
        return changed;
    }
}
