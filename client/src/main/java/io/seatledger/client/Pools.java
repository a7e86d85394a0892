package io.seatledger.client;

import io.seatledger.client.model.AssignSeat;
import io.seatledger.client.model.BillingInterval;
import io.seatledger.client.model.BulkResult;
import io.seatledger.client.model.Page;
import io.seatledger.client.model.PoolStatus;
import io.seatledger.client.model.PurchasePool;
import io.seatledger.client.model.ResizePool;
import io.seatledger.client.model.ResizePreview;
import io.seatledger.client.model.ResizeTiming;
import io.seatledger.client.model.Seat;
import io.seatledger.client.model.SeatPool;
import io.seatledger.client.model.SeatStatus;
import tools.jackson.core.type.TypeReference;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One organization's seat pools and their seats: buy, list, read, resize, cancel; assign, revoke, resend, transfer. */
public final class Pools {

    private static final TypeReference<Page<SeatPool>> POOL_PAGE = new TypeReference<>() {
    };
    private static final TypeReference<Page<Seat>> SEAT_PAGE = new TypeReference<>() {
    };

    private final Http http;
    private final String orgId;
    private final String base;

    Pools(Http http, String orgId) {
        this.http = http;
        this.orgId = orgId;
        this.base = "/orgs/" + Request.segment(orgId) + "/seat-pools";
    }

    public SeatPool purchase(PurchasePool purchase) {
        return http.send(Request.command("POST", orgId, base, purchase), SeatPool.class);
    }

    /** A page of pools, optionally of one status; {@code cursor} is the previous page's {@code next}. */
    public Page<SeatPool> list(PoolStatus status, String cursor, Integer limit) {
        return http.send(Request.read(orgId, base).param("status", lower(status)).param("cursor", cursor).param("limit", limit), POOL_PAGE);
    }

    public SeatPool get(String poolId) {
        return http.send(Request.read(orgId, pool(poolId)), SeatPool.class);
    }

    /** The pool as it was at that instant, rebuilt from its events. */
    public SeatPool asOf(String poolId, Instant at) {
        return http.send(Request.read(orgId, pool(poolId)).param("asOf", at), SeatPool.class);
    }

    public ResizePreview previewResize(String poolId, int seats, ResizeTiming effective) {
        Map<String, Object> body = Map.of("seats", seats, "effective", effective);
        return http.send(Request.command("POST", orgId, pool(poolId) + "/resize-preview", body), ResizePreview.class);
    }

    /** Resizes the pool; a Stripe-billed pool answers 202 and shows the change once Stripe confirms it. */
    public SeatPool resize(String poolId, ResizePool resize) {
        return http.send(Request.command("PATCH", orgId, pool(poolId), resize), SeatPool.class);
    }

    public SeatPool changeInterval(String poolId, BillingInterval interval) {
        return http.send(Request.command("POST", orgId, pool(poolId) + "/interval", Map.of("interval", interval)), SeatPool.class);
    }

    /** Cancels now (every seat revoked) or at the end of the current period. */
    public SeatPool cancel(String poolId, boolean atPeriodEnd) {
        return http.send(Request.command("POST", orgId, pool(poolId) + "/cancel", Map.of("atPeriodEnd", atPeriodEnd)), SeatPool.class);
    }

    /** Assigns one seat; the answer carries the invitation (its token appears only here and in {@link #resend}). */
    public Seat assign(String poolId, AssignSeat seat) {
        return http.send(Request.command("POST", orgId, seatsPath(poolId), seat), Seat.class);
    }

    /**
     * Assigns many seats in one request, sent as NDJSON (one seat per line): {@code atomic} assigns all or none,
     * otherwise each row succeeds or is rejected on its own.
     */
    public BulkResult assignAll(String poolId, List<AssignSeat> seats, boolean atomic) {
        return http.send(bulk(poolId, seats, atomic), BulkResult.class);
    }

    /**
     * {@link #assignAll} under the caller's own {@code Idempotency-Key}, for work that must survive the client itself:
     * an import that derives the key from its file and chunk sends the same key when it is run again after an
     * interruption, and the service answers a chunk it already stored with its first answer instead of assigning twice.
     */
    public BulkResult assignAll(String poolId, List<AssignSeat> seats, boolean atomic, String idempotencyKey) {
        return http.send(bulk(poolId, seats, atomic).withIdempotencyKey(idempotencyKey), BulkResult.class);
    }

    private Request bulk(String poolId, List<AssignSeat> seats, boolean atomic) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream(seats.size() * 64);
        for (AssignSeat seat : seats) {
            lines.writeBytes(Json.MAPPER.writeValueAsBytes(seat));
            lines.write('\n');
        }
        return Request.commandWithBody("POST", orgId, seatsPath(poolId) + "/bulk", lines.toByteArray(), "application/x-ndjson")
                .param("atomic", atomic);
    }

    /** A page of the pool's seats, optionally of one status; seats carry {@code holderUserId} once claimed. */
    public Page<Seat> seats(String poolId, SeatStatus status, String cursor, Integer limit) {
        return http.send(Request.read(orgId, seatsPath(poolId)).param("status", lower(status)).param("cursor", cursor).param("limit", limit),
                SEAT_PAGE);
    }

    public Seat seat(String poolId, String seatId) {
        return http.send(Request.read(orgId, seatPath(poolId, seatId)), Seat.class);
    }

    /** Revokes the seat (its capacity is freed); revoking a revoked seat is {@link ProblemCode#INVALID_SEAT_STATE}. */
    public Seat revoke(String poolId, String seatId) {
        return http.send(Request.command("DELETE", orgId, seatPath(poolId, seatId), null), Seat.class);
    }

    /** A new invitation for a pending seat; the old token stops working. */
    public Seat resend(String poolId, String seatId) {
        return http.send(Request.command("POST", orgId, seatPath(poolId, seatId) + "/resend", null), Seat.class);
    }

    /** Ends the seat and opens a new pending one for this address; the answer is the new seat. */
    public Seat transfer(String poolId, String seatId, String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        return http.send(Request.command("POST", orgId, seatPath(poolId, seatId) + "/transfer", body), Seat.class);
    }

    private String pool(String poolId) {
        return base + "/" + Request.segment(poolId);
    }

    private String seatsPath(String poolId) {
        return pool(poolId) + "/seats";
    }

    private String seatPath(String poolId, String seatId) {
        return seatsPath(poolId) + "/" + Request.segment(seatId);
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(java.util.Locale.ROOT);
    }
}
