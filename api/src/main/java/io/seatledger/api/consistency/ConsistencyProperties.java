package io.seatledger.api.consistency;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Read-your-writes ({@code seatledger.consistency.*}): how long a read naming a position waits for its read model
 * before it answers 503. At least 1 ms and at most a minute: a longer wait holds the client and its connection
 * longer than any client waits for an answer.
 */
public record ConsistencyProperties(@DefaultValue("5s") Duration maxWait) {

    static final Duration LONGEST = Duration.ofMinutes(1);

    public ConsistencyProperties {
        if (maxWait.toMillis() < 1 || maxWait.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("seatledger.consistency.max-wait must be from 1ms to 1m, not " + maxWait);
        }
    }
}
