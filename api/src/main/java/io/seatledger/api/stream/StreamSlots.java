package io.seatledger.api.stream;

import io.seatledger.api.http.RateLimited;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live streams this instance serves, counted per organization and per user so that one tenant cannot hold
 * every connection: beyond {@code seatledger.stream.max-per-organization} or {@code max-per-user} open streams a
 * new one is refused (429). A count lives only while its streams are open.
 */
@Component
class StreamSlots {

    /** One open stream's place in the counts; closing it (once) frees the place. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final int perOrganization;
    private final int perUser;
    private final Duration retryAfter;

    StreamSlots(@Value("${seatledger.stream.max-per-organization:20}") int perOrganization, @Value("${seatledger.stream.max-per-user:5}") int perUser,
                @Value("${seatledger.stream.heartbeat:15s}") Duration heartbeat) {
        this.perOrganization = perOrganization;
        this.perUser = perUser;
        // a dropped client's stream is noticed at the latest when the next heartbeat cannot be written
        this.retryAfter = heartbeat;
    }

    /** A slot for one more stream of {@code organization} opened by {@code user}; {@link RateLimited} when either holds its share. */
    Slot open(String organization, String user) {
        String organizationKey = "org:" + organization;
        String userKey = "user:" + user;
        if (!take(organizationKey, perOrganization)) {
            throw new RateLimited("the organization has " + perOrganization + " live streams open", retryAfter);
        }
        if (!take(userKey, perUser)) {
            release(organizationKey);
            throw new RateLimited("the user has " + perUser + " live streams open", retryAfter);
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                release(userKey);
                release(organizationKey);
            }
        };
    }

    private boolean take(String key, int max) {
        boolean[] taken = {false};
        open.compute(key, (unused, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void release(String key) {
        open.computeIfPresent(key, (unused, count) -> count <= 1 ? null : count - 1);
    }
}
