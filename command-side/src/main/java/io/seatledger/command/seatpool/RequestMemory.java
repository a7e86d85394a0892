package io.seatledger.command.seatpool;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request ids whose events a pool recorded lately, so a retried command (same request id) records nothing
 * new. An id is remembered for {@link #SPAN} after it was first seen; older ones are forgotten as events arrive.
 * In a snapshot it is the plain map of id to when it was first seen, oldest first.
 */
final class RequestMemory {

    /** How long a request id is remembered. */
    static final Duration SPAN = Duration.ofHours(24);

    private final LinkedHashMap<String, Instant> firstSeen;

    RequestMemory() {
        this(new LinkedHashMap<>());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    RequestMemory(LinkedHashMap<String, Instant> firstSeen) {
        this.firstSeen = firstSeen;
    }

    @JsonValue
    Map<String, Instant> firstSeen() {
        return firstSeen;
    }

    /** Whether a command with this request id was already applied (no id: it never was). */
    boolean remembers(Object requestId) {
        return requestId != null && firstSeen.containsKey(requestId.toString());
    }

    /** Notes an event of this request (if it has one) recorded at {@code at}, and forgets the ids older than the span. */
    void remember(Object requestId, Instant at) {
        if (requestId == null) {
            return;
        }
        firstSeen.putIfAbsent(requestId.toString(), at);
        Instant horizon = at.minus(SPAN);
        Iterator<Instant> oldestFirst = firstSeen.values().iterator();
        while (oldestFirst.hasNext() && oldestFirst.next().isBefore(horizon)) {
            oldestFirst.remove();
        }
    }
}
