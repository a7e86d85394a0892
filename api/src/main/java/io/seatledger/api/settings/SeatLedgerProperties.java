package io.seatledger.api.settings;

import io.seatledger.api.consistency.ConsistencyProperties;
import io.seatledger.api.ratelimit.RateLimitProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The service's own settings ({@code seatledger.*}), bound once and documented in docs/configuration.md. A bean takes
 * the part it needs. Settings read before the application context exists ({@code seatledger.embedded.*},
 * {@code seatledger.security.dev-tokens}) are not bound here; they are described in
 * {@code META-INF/additional-spring-configuration-metadata.json}.
 *
 * @param dataDir       embedded PostgreSQL and Redis data, the dev-token key, the default erasure and audit signing keys
 * @param nodeId        owner of claimed processor segments, unique per instance (empty: pid@host)
 * @param publicBaseUrl where invitees reach the service: the start of every claim URL (empty: from the request)
 * @param database      PostgreSQL session timeouts
 * @param seats         seat rules: invitation validity, bulk and pool sizes
 * @param writeModel    how the write model keeps large pools fast
 * @param projections   read-model rebuilds and dead letters
 * @param redis         the Redis counters
 * @param http          HTTP housekeeping
 * @param stream        live streams (SSE)
 * @param audit         audit exports and signed checkpoints
 * @param timeTravel    replays of pools "as of" an instant
 * @param claim         claiming invitations
 * @param erasure       erasure of personal data
 * @param consistency   read-your-writes
 * @param rateLimit     request rates
 * @param billing       Stripe
 * @param webhooks      outbound webhooks
 */
@ConfigurationProperties("seatledger")
public record SeatLedgerProperties(@DefaultValue("./data") Path dataDir,
                                   @DefaultValue("") String nodeId,
                                   @DefaultValue("") String publicBaseUrl,
                                   @DefaultValue Database database,
                                   @DefaultValue Seats seats,
                                   @DefaultValue WriteModel writeModel,
                                   @DefaultValue Projections projections,
                                   @DefaultValue Redis redis,
                                   @DefaultValue Http http,
                                   @DefaultValue Stream stream,
                                   @DefaultValue Audit audit,
                                   @DefaultValue TimeTravel timeTravel,
                                   @DefaultValue Claim claim,
                                   @DefaultValue Erasure erasure,
                                   @DefaultValue @NestedConfigurationProperty ConsistencyProperties consistency,
                                   @DefaultValue @NestedConfigurationProperty RateLimitProperties rateLimit,
                                   @DefaultValue @NestedConfigurationProperty BillingProperties billing,
                                   @DefaultValue @NestedConfigurationProperty WebhookProperties webhooks) {

    /**
     * @param statementTimeout               PostgreSQL's statement_timeout on every connection (JDBC and R2DBC); 0 = none
     * @param idleInTransactionTimeout       idle_in_transaction_session_timeout on every connection; 0 = none
     * @param maintenanceTimeout             both timeouts for migrations, a read-model rebuild's swap and the Redis counter rebuild
     */
    public record Database(@DefaultValue("30s") Duration statementTimeout, @DefaultValue("60s") Duration idleInTransactionTimeout,
                           @DefaultValue("1h") Duration maintenanceTimeout) {
    }

    /**
     * @param invitationValidity  how long an invitation can be claimed
     * @param maxBulkSeats        the most seats in one bulk assignment
     * @param expiryCheckInterval invitations expiring within one interval share one durable expiry check
     * @param maxPoolSeats        the most seats one pool may hold (purchase and resize)
     */
    public record Seats(@DefaultValue("7d") Duration invitationValidity, @DefaultValue("10000") int maxBulkSeats,
                        @DefaultValue("1m") Duration expiryCheckInterval, @DefaultValue("100000") int maxPoolSeats) {
    }

    /**
     * @param snapshotThreshold events after which a pool is snapshotted
     * @param commandRetries    how often a command that lost a concurrent write is retried
     * @param seatsHeld         how many seats the most recently used pools may have together and stay loaded whatever
     *                          the garbage collector needs (~0.5 KB of heap a seat; the most recently used pool stays
     *                          whatever its size; other loaded pools stay only while the collector does not need them)
     */
    public record WriteModel(@DefaultValue("10000") int snapshotThreshold, @DefaultValue("5") int commandRetries,
                             @DefaultValue("120000") int seatsHeld) {
    }

    /**
     * @param rebuildBatchSize         events per transaction of a shadow rebuild
     * @param deadLetterRetryInterval  time between retries of dead-lettered events
     */
    public record Projections(@DefaultValue("1000") int rebuildBatchSize, @DefaultValue("30s") Duration deadLetterRetryInterval) {
    }

    /**
     * @param readTimeout                a Redis read slower than this falls back to PostgreSQL
     * @param completenessCheckInterval  how often a flushed Redis is looked for (then rebuilt from PostgreSQL)
     */
    public record Redis(@DefaultValue("250ms") Duration readTimeout, @DefaultValue("5s") Duration completenessCheckInterval) {
    }

    /**
     * @param idempotencyCleanupInterval time between deletions of expired idempotency keys
     * @param fastReads                  answer plain entitlement checks and liveness probes in front of the WebFlux stack
     */
    public record Http(@DefaultValue("10m") Duration idempotencyCleanupInterval, @DefaultValue("true") boolean fastReads) {
    }

    /**
     * @param heartbeat          SSE comment heartbeat
     * @param pollInterval       SSE safety look besides LISTEN/NOTIFY
     * @param lagInterval        how often a stream says how current it is (the {@code lag} comment)
     * @param maxPerOrganization live streams one instance serves at once per organization
     * @param maxPerUser         live streams one instance serves at once per user
     */
    public record Stream(@DefaultValue("15s") Duration heartbeat, @DefaultValue("5s") Duration pollInterval,
                         @DefaultValue("1s") Duration lagInterval, @DefaultValue("20") int maxPerOrganization, @DefaultValue("5") int maxPerUser) {
    }

    /**
     * @param exportPageSize          entries per page (one short transaction each) of an audit export
     * @param exportsPerOrganization  audit exports one organization may run at once
     * @param signingKeyFile          the Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints (empty: a key kept
     *                                in the data directory)
     * @param checkpointInterval      how often organizations whose trail grew get a signed checkpoint; 0 = never
     * @param checkpointSettleTime    how old the event after an index no event holds must be before checkpoints pass it
     * @param checkpointsPerRun       organizations checkpointed per periodic run at most
     */
    public record Audit(@DefaultValue("1000") int exportPageSize, @DefaultValue("2") int exportsPerOrganization,
                        @DefaultValue("") String signingKeyFile, @DefaultValue("1h") Duration checkpointInterval,
                        @DefaultValue("60s") Duration checkpointSettleTime, @DefaultValue("100") int checkpointsPerRun) {
    }

    /**
     * @param threads                 threads that rebuild pools "as of" an instant
     * @param queueCapacity           replays waiting for those threads (more: 503)
     * @param replaysPerOrganization  replays one organization may have running or waiting (more: 429)
     */
    public record TimeTravel(@DefaultValue("2") int threads, @DefaultValue("16") int queueCapacity,
                             @DefaultValue("2") int replaysPerOrganization) {
    }

    /** @param requireEmailMatch a claim's token e-mail must be the invited one */
    public record Claim(@DefaultValue("true") boolean requireEmailMatch) {
    }

    /**
     * @param keyEncryptionKey      base64 of 32 random bytes wrapping every key of the erasure vault (empty: a key made
     *                              once in the data directory)
     * @param readModelPatience     how long an erasure waits for the read models before it answers pending
     * @param pendingCheckInterval  how often erasures left pending are finished
     */
    public record Erasure(@DefaultValue("") String keyEncryptionKey, @DefaultValue("30s") Duration readModelPatience,
                          @DefaultValue("1m") Duration pendingCheckInterval) {

        /** The key stays out of logs and failure messages. */
        @Override
        public String toString() {
            return "Erasure[keyEncryptionKey=" + (keyEncryptionKey == null || keyEncryptionKey.isEmpty() ? "(none)" : "******") + ", readModelPatience="
                    + readModelPatience + ", pendingCheckInterval=" + pendingCheckInterval + "]";
        }
    }
}
