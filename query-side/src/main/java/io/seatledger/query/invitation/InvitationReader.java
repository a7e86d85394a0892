package io.seatledger.query.invitation;

import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.query.TenantScope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * What an invitation token opens, for its holder, who has no tenant yet: asked through
 * {@code read_model.invitation}, which shows a seat only to whoever presents its current token's hash.
 */
@Component
public class InvitationReader {

    /** An invitation as its holder may see it. */
    public record InvitationView(String orgId, String orgName, String poolId, PoolStatus poolStatus, boolean poolGraceExpired, String email,
                                 SeatStatus seatStatus, Instant expiresAt) {

        /** Whether its pool takes claims: the write model's rule ({@link PoolStatus#inService}). */
        public boolean poolInService() {
            return poolStatus.inService(poolGraceExpired);
        }
    }

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    public InvitationReader(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    public Mono<InvitationView> invitation(InvitationToken token) {
        return database.sql("set local role " + TenantScope.ROLE).then()
                .then(database.sql("select * from read_model.invitation(:seat, :hash)")
                        .bind("seat", token.seatId().toString()).bind("hash", token.sha256())
                        .map(row -> new InvitationView(row.get("org_id", String.class), row.get("org_name", String.class),
                                row.get("pool_id", String.class), PoolStatus.valueOf(row.get("pool_status", String.class)),
                                Boolean.TRUE.equals(row.get("grace_expired", Boolean.class)), row.get("email", String.class), SeatStatus.valueOf(row.get("seat_status", String.class)),
                                instant(row.get("expires_at", OffsetDateTime.class))))
                        .one())
                .as(transactions::transactional);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
