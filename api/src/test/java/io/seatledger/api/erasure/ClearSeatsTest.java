package io.seatledger.api.erasure;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookup that runs before every assignment, bulk row and transfer ({@link ClearSeats}) reads the seats stored in
 * clear and no others, however many sealed seats the pool and the table hold: it used to read the whole pool (for a
 * large pool, the whole table) on every assignment. Checked on a pool of 20,000 sealed seats and one stored in clear,
 * in a transaction that is rolled back, with the generic plan: the one PostgreSQL may use for the prepared statement
 * whatever its parameters.
 */
class ClearSeatsTest extends IntegrationTest {

    private static final int SEALED_SEATS = 20_000;

    @Autowired DatabaseOwner owner;

    @Test
    void theLookupBeforeAnAssignmentReadsOnlySeatsStoredInClearAndFindsThem() throws SQLException {
        String orgId = Api.newOrgId();
        String poolId = UUID.randomUUID().toString();
        try (Connection connection = owner.jdbc().getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (var seats = connection.prepareStatement("""
                        insert into read_model.seats (seat_id, pool_id, org_id, status, email, assigned_at, metadata, position)
                        select gen_random_uuid()::text, ?, ?, case when n % 2 = 0 then 'PENDING' else 'CLAIMED' end,
                               'pd1:' || md5(n::text) || ':sealed', now(), '{}'::jsonb, n
                        from generate_series(1, ?) n
                        union all
                        select gen_random_uuid()::text, ?, ?, 'PENDING', 'Old.Clear@Example.com', now(), '{}'::jsonb, 0""")) {
                    seats.setString(1, poolId);
                    seats.setString(2, orgId);
                    seats.setInt(3, SEALED_SEATS);
                    seats.setString(4, poolId);
                    seats.setString(5, orgId);
                    assertThat(seats.executeUpdate()).isEqualTo(SEALED_SEATS + 1);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("analyze read_model.seats");
                    statement.execute("prepare lookup (text, text, text[]) as " + numbered(ClearSeats.OCCUPIED_IN_CLEAR));
                    statement.execute("set local plan_cache_mode = force_generic_plan");
                    String plan = lines(statement.executeQuery("explain execute lookup ('" + orgId + "', '" + poolId + "', '{old.clear@example.com}')"));
                    statement.execute("deallocate lookup");
                    assertThat(plan).as("the plan for any parameters").contains("seats_stored_in_clear").doesNotContain("Seq Scan");
                }
                try (var lookup = connection.prepareStatement(ClearSeats.OCCUPIED_IN_CLEAR)) {
                    lookup.setString(1, orgId);
                    lookup.setString(2, poolId);
                    lookup.setArray(3, connection.createArrayOf("text", new String[] {"old.clear@example.com", "someone.new@example.com"}));
                    assertThat(lines(lookup.executeQuery())).isEqualTo("Old.Clear@Example.com");
                    lookup.setString(2, UUID.randomUUID().toString());
                    assertThat(lines(lookup.executeQuery())).as("another pool").isEmpty();
                }
            } finally {
                connection.rollback();
            }
        }
    }

    /** The statement with its {@code ?} parameters as {@code $1, $2, ...}, as {@code prepare} takes them. */
    private static String numbered(String statement) {
        StringBuilder numbered = new StringBuilder();
        int parameter = 0;
        for (char c : statement.toCharArray()) {
            numbered.append(c == '?' ? "$" + ++parameter : String.valueOf(c));
        }
        return numbered.toString();
    }

    private static String lines(ResultSet rows) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (rows) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return String.join("\n", lines);
    }
}
