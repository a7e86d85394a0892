package io.seatledger.projections;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Whether a failure says the database was away or busy rather than that the work was wrong: the same work may succeed
 * when tried again. The HTTP layer answers such failures 503 with {@code Retry-After}; the projections retry their
 * batch instead of dead-lettering the event, since a letter would hold back its whole organization for nothing.
 */
public final class StoreOutage {

    /**
     * SQLSTATE classes of a server that is not there or cannot serve now, whichever layer wrapped the error (Axon's
     * event store passes PostgreSQL's own exception through): connection exception (08), transaction rollback such as
     * a serialization failure or deadlock (40), insufficient resources (53), operator intervention such as a shutdown or
     * a statement timeout (57), system error (58).
     */
    private static final Set<String> TRANSIENT_SQL_STATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    /** What HikariCP throws, with no SQLSTATE, for a connection it has closed (after the server ended it, say). */
    private static final String CLOSED_BY_THE_POOL = "Connection is closed";

    private StoreOutage() {
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof QueryTimeoutException || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    // no transaction could be begun, or its commit or rollback failed: the connection or the database went away
                    || cause instanceof CannotCreateTransactionException || cause instanceof TransactionSystemException) {
                return true;
            }
            if (cause instanceof SQLException sql && (transientState(sql.getSQLState()) || closedByThePool(sql))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a SQLSTATE (from JDBC or R2DBC) is of a class that says the server is away or busy. */
    public static boolean transientState(String state) {
        return state != null && state.length() >= 2 && TRANSIENT_SQL_STATE_CLASSES.contains(state.substring(0, 2));
    }

    private static boolean closedByThePool(SQLException failure) {
        return failure.getSQLState() == null && CLOSED_BY_THE_POOL.equals(failure.getMessage());
    }
}
