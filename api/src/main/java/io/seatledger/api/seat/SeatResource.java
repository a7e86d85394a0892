package io.seatledger.api.seat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seatledger.messages.seatpool.SeatState;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.query.Page;
import io.seatledger.query.seatpool.SeatView;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@code Seat}; with its {@code invitation} only in the answers that issue one (assign,
 * resend, transfer): the token is shown there and nowhere else.
 */
public record SeatResource(String seatId, String poolId, String orgId, SeatStatus status, String email, String holderUserId,
                           Instant assignedAt, Instant claimedAt, Instant revokedAt, Instant expiresAt, Map<String, String> metadata,
                           @JsonInclude(JsonInclude.Include.NON_NULL) InvitationResource invitation) {

    /** A fresh invitation: the token (once), its expiry and where the invitee claims it. */
    public record InvitationResource(String token, Instant expiresAt, String claimUrl) {
        @Override
        public String toString() {
            return "InvitationResource[expiresAt=" + expiresAt + "]";
        }
    }

    public static SeatResource of(SeatView seat) {
        return of(seat, null);
    }

    public static SeatResource of(SeatView seat, InvitationResource invitation) {
        return new SeatResource(seat.seatId(), seat.poolId(), seat.orgId(), seat.status(), seat.email(), seat.holderUserId(), seat.assignedAt(),
                seat.claimedAt(), seat.revokedAt(), seat.expiresAt(), seat.metadata(), invitation);
    }

    /**
     * The seat as the write model holds it after a command: the same fields as the read model shows, times at the
     * read model's precision (microseconds).
     */
    public static SeatResource of(SeatState seat, InvitationResource invitation) {
        return new SeatResource(seat.seatId(), seat.poolId(), seat.orgId(), seat.status(), seat.email(), seat.holderUserId(), micros(seat.assignedAt()),
                micros(seat.claimedAt()), micros(seat.revokedAt()), micros(seat.expiresAt()), seat.metadata(),
                invitation == null ? null : new InvitationResource(invitation.token(), micros(invitation.expiresAt()), invitation.claimUrl()));
    }

    /**
     * An instant as PostgreSQL keeps it: rounded to the microsecond. The service's clock has that precision; events
     * stored before it had more.
     */
    public static Instant micros(Instant instant) {
        if (instant == null) {
            return null;
        }
        Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
        return instant.getNano() % 1_000 >= 500 ? truncated.plusNanos(1_000) : truncated;
    }

    /** The same seat showing {@code email}: its stored address opened, or {@code "[erased]"}. */
    public SeatResource withEmail(String email) {
        return new SeatResource(seatId, poolId, orgId, status, email, holderUserId, assignedAt, claimedAt, revokedAt, expiresAt, metadata, invitation);
    }

    /** A page of seats: {@code {items, next}}. */
    public record SeatPage(List<SeatResource> items, String next) {
        public static SeatPage of(Page<SeatView> page) {
            return new SeatPage(page.items().stream().map(SeatResource::of).toList(), page.next());
        }
    }
}
