package io.seatledger.api.projections;

import io.seatledger.projections.StoreOutage;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.UncategorizedSQLException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are the database's (the work is retried) and which are the work's own (it is dead-lettered or refused). */
class StoreOutageTest {

    @Test
    void theServerGoingAwayOrBeingBusyIsAnOutageWhateverWrapsIt() {
        SQLException shutdown = new SQLException("terminating connection due to administrator command", "57P01");
        assertThat(StoreOutage.causedBy(new UncategorizedSQLException("insert", "insert into x", shutdown))).isTrue();
        assertThat(StoreOutage.causedBy(new SQLException("An I/O error occurred while sending to the backend.", "08006"))).isTrue();
        assertThat(StoreOutage.causedBy(new SQLException("canceling statement due to statement timeout", "57014"))).isTrue();
        assertThat(StoreOutage.causedBy(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(StoreOutage.causedBy(new SQLException("sorry, too many clients already", "53300"))).isTrue();
        // HikariCP's answer, without a SQLSTATE, on a connection it closed after the server ended it; wrapped by the scheduler's runner
        assertThat(StoreOutage.causedBy(new RuntimeException("Failed to rollback.", new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aFailureOfTheWorkItselfIsNot() {
        assertThat(StoreOutage.causedBy(new SQLException("refused for the test", "P0001"))).isFalse();
        assertThat(StoreOutage.causedBy(new SQLException("duplicate key value violates unique constraint", "23505"))).isFalse();
        assertThat(StoreOutage.causedBy(new SQLException("value too long", "22001"))).isFalse();
        assertThat(StoreOutage.causedBy(new SQLException("Connection is closed", "P0001"))).as("a message alone proves nothing").isFalse();
        assertThat(StoreOutage.causedBy(new IllegalStateException("the audit trail ends before sequence 1"))).isFalse();
        assertThat(StoreOutage.causedBy(null)).isFalse();
    }
}
