package io.seatledger.api.config.database;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * PostgreSQL's limits on one statement and on a transaction left idle, given to every connection as startup
 * parameters: a stuck query or a transaction its holder forgot ends on the server and returns its connection,
 * whatever the client does. Zero means no limit (PostgreSQL's own default).
 */
public record SessionTimeouts(Duration statement, Duration idleInTransaction) {

    /** The parameters by name, in milliseconds, as R2DBC PostgreSQL's {@code options} takes them. */
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("statement_timeout", String.valueOf(statement.toMillis()));
        parameters.put("idle_in_transaction_session_timeout", String.valueOf(idleInTransaction.toMillis()));
        return parameters;
    }

    /** The same as the PostgreSQL JDBC driver's {@code options} property takes them ({@code -c name=value ...}). */
    public String commandLineOptions() {
        return parameters().entrySet().stream().map(parameter -> "-c " + parameter.getKey() + "=" + parameter.getValue())
                .collect(Collectors.joining(" "));
    }
}
