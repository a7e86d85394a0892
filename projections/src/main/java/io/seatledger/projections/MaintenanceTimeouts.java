package io.seatledger.projections;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * Lifts the service's statement and idle-in-transaction timeouts for the current transaction only, for the few
 * legitimate long operations that run in one: swapping a rebuilt read model in, copying the read model to Redis.
 * {@code set_config(..., true)} is {@code SET LOCAL}: the pooled connection is back at the defaults afterwards.
 */
public class MaintenanceTimeouts {

    private final JdbcTemplate jdbc;
    private final String timeout;

    public MaintenanceTimeouts(JdbcTemplate jdbc, Duration timeout) {
        this.jdbc = jdbc;
        this.timeout = String.valueOf(timeout.toMillis());
    }

    /** Call first inside the transaction to lift. */
    public void liftForThisTransaction() {
        jdbc.queryForList("select set_config('statement_timeout', ?, true), set_config('idle_in_transaction_session_timeout', ?, true)",
                timeout, timeout);
    }
}
