package io.seatledger.query;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.TryAgainLater;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets each organization (or any other key, such as a user) run at most a fixed number of one kind of heavy work at once, so one tenant cannot take
 * every connection or thread the others need. Work over the limit is refused at once ({@code RATE_LIMITED} with a
 * retry delay), never queued. With {@link #limit} a permit is held from subscription until the work completes, fails
 * or is cancelled; work that outlives its subscriber (a task on a thread) takes and returns its permit itself.
 */
public final class TenantPermits {

    private final String work;
    private final int perOrganization;
    private final Duration retryAfter;
    private final ConcurrentHashMap<String, Integer> inUse = new ConcurrentHashMap<>();

    /** {@code work} names what is limited in the refusal, e.g. "audit exports". */
    public TenantPermits(String work, int perOrganization, Duration retryAfter) {
        if (perOrganization < 1) {
            throw new IllegalArgumentException(work + ": at least one at a time per organization");
        }
        this.work = work;
        this.perOrganization = perOrganization;
        this.retryAfter = retryAfter;
    }

    public <T> Flux<T> limit(String orgId, Flux<T> heavy) {
        return Flux.using(() -> acquire(orgId), permit -> heavy, this::release);
    }

    public <T> Mono<T> limit(String orgId, Mono<T> heavy) {
        return Mono.using(() -> acquire(orgId), permit -> heavy, this::release);
    }

    /** How many permits {@code orgId} holds now. */
    public int inUse(String orgId) {
        return inUse.getOrDefault(orgId, 0);
    }

    /** Takes a permit of {@code orgId}; throws {@code TryAgainLater} (429) when it holds all of them. */
    public String acquire(String orgId) {
        boolean[] granted = {false};
        inUse.compute(orgId, (organization, held) -> {
            int now = held == null ? 0 : held;
            if (now >= perOrganization) {
                return held;
            }
            granted[0] = true;
            return now + 1;
        });
        if (!granted[0]) {
            throw new TryAgainLater(ErrorCode.RATE_LIMITED, "already " + perOrganization + " " + work
                    + " running at once, the most allowed; retry when one has finished", retryAfter);
        }
        return orgId;
    }

    /** Returns a permit {@link #acquire} gave. */
    public void release(String orgId) {
        inUse.computeIfPresent(orgId, (organization, held) -> held <= 1 ? null : held - 1);
    }
}
