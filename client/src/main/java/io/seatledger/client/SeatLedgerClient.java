package io.seatledger.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The seat-ledger HTTP API for Java: typed calls grouped by what they concern
 * ({@code client.pools(orgId).assign(poolId, AssignSeat.invite("ada@example.com"))}), every command sent with one
 * {@code Idempotency-Key} reused on its retries, 429 and 503 retried as the {@link RetryPolicy} allows (honouring
 * {@code Retry-After}), refusals thrown as {@link SeatLedgerProblem}, and reads that see this client's own writes.
 * Thread-safe; build one per service and share it.
 */
public final class SeatLedgerClient {

    private final Http http;
    private final Executor executor;

    private SeatLedgerClient(Http http, Executor executor) {
        this.http = http;
        this.executor = executor;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Organizations organizations() {
        return new Organizations(http);
    }

    public Pools pools(String orgId) {
        return new Pools(http, orgId);
    }

    public Entitlements entitlements(String orgId) {
        return new Entitlements(http, orgId);
    }

    public Charges charges(String orgId) {
        return new Charges(http, orgId);
    }

    public Webhooks webhooks(String orgId) {
        return new Webhooks(http, orgId);
    }

    public Audit audit(String orgId) {
        return new Audit(http, orgId);
    }

    public Invitations invitations() {
        return new Invitations(http);
    }

    /** A cache of the organization's entitlements fed by its live stream; call {@link EntitlementCache#start()} on it. */
    public EntitlementCache.Builder entitlementCache(String orgId) {
        return new EntitlementCache.Builder(this, orgId);
    }

    /** The highest {@code Seat-Ledger-Position} this client was answered for the organization (0 when none). */
    public long position(String orgId) {
        return http.positions().of(orgId);
    }

    Http http() {
        return http;
    }

    Executor executor() {
        return executor;
    }

    public static final class Builder {
        private URI baseUrl;
        private Supplier<String> tokens;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retries = RetryPolicy.defaults();
        private boolean readYourWrites = true;
        private Executor executor;
        private Http.Sleeper sleeper = duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));

        private Builder() {
        }

        /** The service's address, e.g. {@code https://seats.example.com} (the client adds {@code /api/v1}). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = URI.create(baseUrl);
            return this;
        }

        /** Bearer tokens, asked for on every attempt so that a refreshed token is used as soon as the supplier has it. */
        public Builder tokens(Supplier<String> tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        /** How long one attempt may wait for its answer (not the live stream, which stays open). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout);
            return this;
        }

        public Builder retryPolicy(RetryPolicy retries) {
            this.retries = Objects.requireNonNull(retries);
            return this;
        }

        /** Whether reads send the highest position this client was answered (on by default). */
        public Builder readYourWrites(boolean readYourWrites) {
            this.readYourWrites = readYourWrites;
            return this;
        }

        /** Runs the HTTP client's work and the entitlement caches' stream readers; by default their own threads. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        Builder sleeper(Http.Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public SeatLedgerClient build() {
            Objects.requireNonNull(baseUrl, "baseUrl");
            HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
            if (executor != null) {
                http.executor(executor);
            }
            return new SeatLedgerClient(new Http(http.build(), baseUrl, tokens, requestTimeout, retries, readYourWrites, sleeper), executor);
        }
    }
}
