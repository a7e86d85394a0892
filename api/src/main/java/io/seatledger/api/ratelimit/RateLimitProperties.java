package io.seatledger.api.ratelimit;

import java.util.Map;

/**
 * Request rates ({@code seatledger.rate-limit.*}): token buckets refilled at {@code requestsPerSecond} holding up
 * to {@code burst}. Per organization for the API and, with their own higher limit, entitlement checks;
 * {@code organizations.<orgId>} overrides either for one organization. Per client address for requests without a
 * valid token ({@code anonymous}). A bulk assignment costs a token per {@code bulkSeatsPerToken} seats.
 */
public record RateLimitProperties(Boolean enabled, Limit api, Limit entitlements, Limit anonymous, Integer bulkSeatsPerToken,
                                  Map<String, Limits> organizations) {

    public RateLimitProperties {
        enabled = enabled == null || enabled;
        api = api == null ? new Limit(100.0, 200) : api;
        entitlements = entitlements == null ? new Limit(2_000.0, 4_000) : entitlements;
        anonymous = anonymous == null ? new Limit(20.0, 100) : anonymous;
        bulkSeatsPerToken = bulkSeatsPerToken == null ? 100 : bulkSeatsPerToken;
        if (bulkSeatsPerToken < 1) {
            throw new IllegalArgumentException("seatledger.rate-limit.bulk-seats-per-token must be at least 1");
        }
        organizations = organizations == null ? Map.of() : Map.copyOf(organizations);
    }

    /** What a bulk of {@code seats} costs in {@code limit}'s tokens: one per started {@code bulkSeatsPerToken}, at most a full bucket. */
    public int bulkCost(int seats, Limit limit) {
        int tokens = Math.max(1, (seats + bulkSeatsPerToken - 1) / bulkSeatsPerToken);
        return Math.min(tokens, limit.burst());
    }

    /** A bucket's refill rate and size. */
    public record Limit(Double requestsPerSecond, Integer burst) {

        /** The largest lease is a 50th of a second's tokens: what an instance may hold unused is 2 % of the rate. */
        static final int LEASES_PER_SECOND = 50;
        static final int LARGEST_LEASE = 1_000;

        public Limit {
            if (requestsPerSecond == null || requestsPerSecond <= 0 || burst == null || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs requests-per-second > 0 and burst >= 1");
            }
        }

        /** How many tokens an instance takes from the shared bucket at once (1 for small rates). */
        int leaseSize() {
            return (int) Math.max(1, Math.min(Math.min(LARGEST_LEASE, burst), requestsPerSecond / LEASES_PER_SECOND));
        }
    }

    /** One organization's own limits; either may be absent (the default applies). */
    public record Limits(Limit api, Limit entitlements) {
    }

    public Limit apiFor(String orgId) {
        Limits own = organizations.get(orgId);
        return own != null && own.api() != null ? own.api() : api;
    }

    public Limit entitlementsFor(String orgId) {
        Limits own = organizations.get(orgId);
        return own != null && own.entitlements() != null ? own.entitlements() : entitlements;
    }
}
