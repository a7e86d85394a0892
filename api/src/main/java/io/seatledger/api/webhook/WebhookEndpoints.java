package io.seatledger.api.webhook;

import io.seatledger.api.settings.WebhookProperties;
import io.seatledger.api.erasure.KeyEncryptionKey;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An organization's webhook endpoints ({@code webhooks.endpoints}). A secret is shown once, when it is made; it is
 * stored wrapped by the key-encryption key, bound to its organization and endpoint, so that it can sign and a row
 * copied elsewhere does not unwrap. An organization has a bounded number of endpoints.
 */
public class WebhookEndpoints {

    /**
     * An endpoint as its owner sees it (never its secret): with its backlog ({@code pendingDeliveries}) and the events
     * not queued for it because that backlog was full ({@code skippedEvents}, the last at {@code lastSkippedAt}).
     */
    @Schema(name = "WebhookEndpoint")
    public record Endpoint(String endpointId, String url, String description, List<String> events, String status, Instant createdAt,
                           Instant disabledAt, String disabledReason, int pendingDeliveries, long skippedEvents, Instant lastSkippedAt) {
    }

    /** An endpoint and its new secret: the answer to a creation or a rotation, the only ones that show it. */
    @Schema(name = "WebhookEndpointWithSecret")
    public record WithSecret(String endpointId, String url, String description, List<String> events, String status, Instant createdAt,
                             String secret) {
        static WithSecret of(Endpoint endpoint, String secret) {
            return new WithSecret(endpoint.endpointId(), endpoint.url(), endpoint.description(), endpoint.events(), endpoint.status(),
                    endpoint.createdAt(), secret);
        }
    }

    /** An enabled endpoint's subscription: what the processor makes deliveries from. */
    record Subscription(String endpointId, List<String> events, long fromPosition) {

        /** Registered before the event at {@code position} was stored. */
        boolean covers(long position) {
            return fromPosition < position;
        }
    }

    private static final String COLUMNS = "endpoint_id, url, description, events, created_at, disabled_at, disabled_reason, pending_deliveries, skipped_events, "
            + "last_skipped_at";

    private final JdbcTemplate jdbc;
    private final KeyEncryptionKey kek;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final WebhookProperties properties;

    public WebhookEndpoints(JdbcTemplate jdbc, KeyEncryptionKey kek, PlatformTransactionManager transactions, Clock clock, WebhookProperties properties) {
        this.jdbc = jdbc;
        this.kek = kek;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
        this.properties = properties;
    }

    /** Registers an endpoint for the events stored from now on; 409 when the organization has as many as it may. */
    public WithSecret create(String orgId, String url, String description, List<String> events, String createdBy) {
        String endpointId = UUID.randomUUID().toString();
        String secret = WebhookSignature.newSecret();
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            // one creation at a time per organization, so that two at once cannot both pass the count
            lockExclusively(orgId);
            Integer count = jdbc.queryForObject("select count(*) from webhooks.endpoints where org_id = ?", Integer.class, orgId);
            if (count != null && count >= properties.maxEndpointsPerOrganization()) {
                throw new SeatLedgerException(ErrorCode.WEBHOOK_ENDPOINT_LIMIT_REACHED,
                        "an organization has at most " + properties.maxEndpointsPerOrganization() + " webhook endpoints");
            }
            jdbc.update(connection -> {
                var insert = connection.prepareStatement("""
                        insert into webhooks.endpoints (endpoint_id, org_id, url, description, events, wrapped_secret, from_position, created_at, created_by)
                        values (?, ?, ?, ?, ?, ?, (select coalesce(max(global_index), 0) from events.domain_event_entry), ?, ?)""");
                insert.setString(1, endpointId);
                insert.setString(2, orgId);
                insert.setString(3, url);
                insert.setString(4, description);
                insert.setArray(5, connection.createArrayOf("text", events.toArray()));
                insert.setString(6, kek.wrap(WebhookSignature.key(secret), context(orgId, endpointId)));
                insert.setTimestamp(7, Timestamp.from(now));
                insert.setString(8, createdBy);
                return insert;
            });
        });
        return WithSecret.of(find(orgId, endpointId).orElseThrow(), secret);
    }

    public List<Endpoint> list(String orgId) {
        return jdbc.query("select " + COLUMNS + " from webhooks.endpoints where org_id = ? order by created_at, endpoint_id", ENDPOINT, orgId);
    }

    public Optional<Endpoint> find(String orgId, String endpointId) {
        return jdbc.query("select " + COLUMNS + " from webhooks.endpoints where org_id = ? and endpoint_id = ?", ENDPOINT, orgId, endpointId)
                .stream().findFirst();
    }

    /** Deletes the endpoint and its deliveries; false if the organization has no such endpoint. */
    public boolean delete(String orgId, String endpointId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            lockExclusively(orgId);
            return jdbc.update("delete from webhooks.endpoints where org_id = ? and endpoint_id = ?", orgId, endpointId) > 0;
        }));
    }

    /** A new secret for the endpoint; the previous one still signs for {@code rotation-overlap}. Empty if there is no such endpoint. */
    public Optional<WithSecret> rotate(String orgId, String endpointId) {
        String secret = WebhookSignature.newSecret();
        Instant now = clock.instant();
        int rotated = jdbc.update("""
                        update webhooks.endpoints set previous_wrapped_secret = wrapped_secret, previous_secret_until = ?, wrapped_secret = ?
                        where org_id = ? and endpoint_id = ?""",
                Timestamp.from(now.plus(properties.rotationOverlap())), kek.wrap(WebhookSignature.key(secret), context(orgId, endpointId)), orgId, endpointId);
        return rotated == 0 ? Optional.empty() : find(orgId, endpointId).map(endpoint -> WithSecret.of(endpoint, secret));
    }

    /**
     * The enabled endpoints of the organization, each with the position after which it gets events; in the caller's
     * transaction, no endpoint of the organization changes until it ends ({@link #lockExclusively}).
     */
    List<Subscription> enabled(String orgId) {
        jdbc.query("select pg_advisory_xact_lock_shared(hashtext('webhooks:' || ?))", rs -> null, orgId);
        return jdbc.query("""
                        select endpoint_id, events, from_position from webhooks.endpoints where org_id = ? and disabled_at is null
                        order by endpoint_id""",
                (rs, row) -> new Subscription(rs.getString("endpoint_id"), texts(rs.getArray("events")), rs.getLong("from_position")), orgId);
    }

    /** The keys that sign for the endpoint now: its secret's, and the previous one's during a rotation's overlap. */
    List<byte[]> signingKeys(String orgId, String endpointId) {
        Instant now = clock.instant();
        return jdbc.query("select wrapped_secret, previous_wrapped_secret, previous_secret_until from webhooks.endpoints where org_id = ? and endpoint_id = ?",
                rs -> {
                    List<byte[]> keys = new ArrayList<>();
                    if (rs.next()) {
                        keys.add(kek.unwrap(rs.getString("wrapped_secret"), context(orgId, endpointId)));
                        Timestamp until = rs.getTimestamp("previous_secret_until");
                        if (rs.getString("previous_wrapped_secret") != null && until != null && until.toInstant().isAfter(now)) {
                            keys.add(kek.unwrap(rs.getString("previous_wrapped_secret"), context(orgId, endpointId)));
                        }
                    }
                    return keys;
                }, orgId, endpointId);
    }

    void succeeded(String endpointId, Instant at) {
        jdbc.update("update webhooks.endpoints set last_success_at = ? where endpoint_id = ? and (last_success_at is null or last_success_at < ?)",
                Timestamp.from(at), endpointId, Timestamp.from(at));
    }

    /** An event was not queued for the endpoint: its backlog was full. */
    void skipped(String endpointId, Instant at) {
        jdbc.update("update webhooks.endpoints set skipped_events = skipped_events + 1, last_skipped_at = ? where endpoint_id = ?", Timestamp.from(at), endpointId);
    }

    /** Disables the endpoint unless a delivery reached it since {@code failingSince}; true if it was disabled now. */
    boolean disableIfFailingSince(String endpointId, Instant failingSince, String reason) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            jdbc.query("select pg_advisory_xact_lock(hashtext('webhooks:' || org_id)) from webhooks.endpoints where endpoint_id = ?", rs -> null, endpointId);
            return jdbc.update("""
                            update webhooks.endpoints set disabled_at = ?, disabled_reason = ?
                            where endpoint_id = ? and disabled_at is null and (last_success_at is null or last_success_at < ?)""",
                    Timestamp.from(clock.instant()), reason, endpointId, Timestamp.from(failingSince)) > 0;
        }));
    }

    void enable(String orgId, String endpointId) {
        transactions.executeWithoutResult(status -> {
            lockExclusively(orgId);
            jdbc.update("update webhooks.endpoints set disabled_at = null, disabled_reason = null where org_id = ? and endpoint_id = ?", orgId, endpointId);
        });
    }

    /**
     * Registering, deleting, disabling and enabling an organization's endpoint waits for the webhooks processor's
     * batch that read its endpoints ({@link #enabled}) to commit, and that read waits for such a change: a batch
     * delivers to the endpoints as they were for all of its events.
     */
    private void lockExclusively(String orgId) {
        jdbc.query("select pg_advisory_xact_lock(hashtext('webhooks:' || ?))", rs -> null, orgId);
    }

    private static String context(String orgId, String endpointId) {
        return "webhook-secret:" + orgId + ":" + endpointId;
    }

    private static final RowMapper<Endpoint> ENDPOINT = (rs, row) -> new Endpoint(rs.getString("endpoint_id"), rs.getString("url"),
            rs.getString("description"), texts(rs.getArray("events")), rs.getTimestamp("disabled_at") == null ? "enabled" : "disabled",
            instant(rs, "created_at"), instant(rs, "disabled_at"), rs.getString("disabled_reason"), rs.getInt("pending_deliveries"),
            rs.getLong("skipped_events"), instant(rs, "last_skipped_at"));

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static List<String> texts(Array array) throws SQLException {
        return List.copyOf(Arrays.asList((String[]) array.getArray()));
    }
}
