package io.seatledger.api.stream;

import io.seatledger.query.TenantPermits;
import io.seatledger.api.settings.SeatLedgerProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
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

    private final TenantPermits organizations;
    private final TenantPermits users;

    StreamSlots(SeatLedgerProperties settings) {
        int perOrganization = settings.stream().maxPerOrganization();
        int perUser = settings.stream().maxPerUser();
        Duration heartbeat = settings.stream().heartbeat();
        // a dropped client's stream is noticed at the latest when the next heartbeat cannot be written
        this.organizations = new TenantPermits("live streams in this organization", perOrganization, heartbeat);
        this.users = new TenantPermits("live streams of this user", perUser, heartbeat);
    }

    /** A slot for one more stream of {@code organization} opened by {@code user}; 429 (RATE_LIMITED) when either holds its share. */
    Slot open(String organization, String user) {
        organizations.acquire(organization);
        try {
            users.acquire(organization + "/" + user);
        } catch (RuntimeException full) {
            organizations.release(organization);
            throw full;
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                users.release(organization + "/" + user);
                organizations.release(organization);
            }
        };
    }
}
