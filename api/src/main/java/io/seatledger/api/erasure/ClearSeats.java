package io.seatledger.api.erasure;

import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.PersonalData;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Occupied seats whose address was stored in clear, before sealing. A pool compares a sealed address by its digest
 * and one in clear by the address, so it cannot see that the two name one person: this looks the clear ones up in the
 * read model before a sealed address is given a seat in the same pool. No new seat is ever stored in clear, so the
 * set only shrinks: a read model behind can refuse a seat that was just freed, never allow a second one.
 */
public class ClearSeats {

    /**
     * Answered by the partial index {@code seats_stored_in_clear} (migration V23), whose predicate it states as
     * literals: with the prefix as a parameter the planner could not use it and read the pool's every seat.
     */
    static final String OCCUPIED_IN_CLEAR = """
            select email from read_model.seats where org_id = ? and pool_id = ? and status in ('PENDING', 'CLAIMED')
            and email not like '%s%%' and lower(email) = any(?)""".formatted(PersonalData.PREFIX);

    private final JdbcTemplate jdbc;

    public ClearSeats(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The indexes of the addresses that hold an occupied seat stored in clear in the pool. */
    public List<Integer> held(String orgId, String poolId, List<String> emails) {
        List<String> lowered = emails.stream().filter(Emails::isValid).map(email -> Emails.canonical(email).toLowerCase(Locale.ROOT)).distinct().toList();
        if (lowered.isEmpty()) {
            return List.of();
        }
        Set<String> held = new HashSet<>();
        jdbc.query(con -> {
            var statement = con.prepareStatement(OCCUPIED_IN_CLEAR);
            statement.setString(1, orgId);
            statement.setString(2, poolId);
            statement.setArray(3, con.createArrayOf("text", lowered.toArray()));
            return statement;
        }, row -> {
            String email = row.getString(1);
            if (Emails.isValid(email)) {
                held.add(Emails.normalize(email));
            }
        });
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < emails.size(); i++) {
            if (Emails.isValid(emails.get(i)) && held.contains(Emails.normalize(emails.get(i)))) {
                indexes.add(i);
            }
        }
        return indexes;
    }
}
