package io.seatledger.api.stream;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.security.Caller;
import io.seatledger.api.security.CallerAuthentication;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.feed.ChangeFeed;
import io.seatledger.query.feed.ChangeNotifications;
import io.seatledger.query.feed.FeedEntry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.seatledger.api.settings.SeatLedgerProperties;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /orgs/{orgId}/stream}: the organization's live feed as server-sent events. Each message's id
 * is its number in the organization's feed ({@link StreamIds}); {@code Last-Event-ID} resumes right after it.
 * Messages are read from PostgreSQL (so any instance can serve any client, and a resume never skips or
 * repeats, events committed late with a lower global position included), woken by
 * LISTEN/NOTIFY and, as a safety net, looked for every {@code poll-interval}; a comment every
 * {@code heartbeat} keeps proxies from closing an idle stream, and a comment {@code lag <ms> <open ms>} about every
 * {@code lag-interval} says that every change stored more than that long ago has been sent ({@link FeedLag}), so a
 * client can tell a stream that flows but lags. Open streams are capped per organization and
 * user ({@link StreamSlots}); a stream ends when its bearer token expires, with a last comment saying so: the
 * client reconnects with a fresh token and {@code Last-Event-ID}.
 */
@Tag(name = "Live stream", description = "Server-sent events for every change of an organization's seats")
@RestController
public class StreamController {

    /** Messages read per query while catching up. */
    static final int BATCH = 500;
    /** The last thing a stream sends when its token expires. */
    static final ServerSentEvent<FeedData> EXPIRED = ServerSentEvent.<FeedData>builder()
            .comment("token expired; reconnect with a fresh token and Last-Event-ID").build();

    /**
     * A feed message's data: the event's global position, the pool, the seat if any and its holder as of the event
     * if it had one, and the pool's counts right after the event.
     */
    public record FeedData(long position, String poolId, String seatId, String holderUserId, String status, int capacity, int pending, int claimed,
                           int available, int overAllocated, Integer threshold) {

        /** A feed entry as the contract shows it: on the live stream and in outbound webhooks alike. */
        public static FeedData of(FeedEntry entry) {
            return new FeedData(entry.position(), entry.poolId(), entry.seatId(), entry.holderUserId(), entry.status().name().toLowerCase(),
                    entry.capacity(), entry.pending(), entry.claimed(), entry.available(), entry.overAllocated(), entry.threshold());
        }
    }

    private final ChangeFeed feed;
    private final ChangeNotifications notifications;
    /** The comment every stream opens with: the global position of the newest entry it will not send. */
    static final String START_COMMENT = "position ";
    /**
     * The comment that says how current the stream is: {@code lag <ms> <open ms>}, every change stored more than {@code ms}
     * before this line was sent, and the line was made {@code open ms} after the stream opened (so a client that reads it
     * late, from a backlog, can still tell when it was made).
     */
    static final String LAG_COMMENT = "lag ";
    private static final long NO_PROBE = Long.MIN_VALUE;

    private final Duration heartbeat;
    private final Duration pollInterval;
    private final Duration lagInterval;
    private final FeedLag lag;
    private final StreamSlots slots;
    private final Clock clock;

    public StreamController(ChangeFeed feed, ChangeNotifications notifications, FeedLag lag,
                            SeatLedgerProperties settings, StreamSlots slots, Clock clock) {
        this.lag = lag;
        this.slots = slots;
        this.clock = clock;
        this.feed = feed;
        this.notifications = notifications;
        this.heartbeat = settings.stream().heartbeat();
        this.pollInterval = settings.stream().pollInterval();
        this.lagInterval = settings.stream().lagInterval();
    }

    @Operation(operationId = "streamChanges", summary = "Follow the organization's changes live (server-sent events)",
            description = "A text/event-stream. It opens with the comment `position <n>` (the newest global position it will not send: "
                    + "load the current state at minPosition=n). Then one message per change: `id` (resume after it with Last-Event-ID), "
                    + "`event` (the event's type, e.g. SeatAssigned) and `data`, a FeedData JSON object. A `heartbeat` comment comes every "
                    + "15 s, and about every second a comment `lag <ms> <open ms>`: every change stored more than `ms` milliseconds before it "
                    + "has been sent, and the line was made `open ms` after the stream opened. The stream ends with a comment when the token expires.",
            responses = @ApiResponse(responseCode = "200", description = "The stream; each message's data is a FeedData object",
                    content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = FeedData.class))))
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @GetMapping(path = "/api/v1/orgs/{orgId}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<FeedData>> stream(@PathVariable String orgId, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                                  CallerAuthentication authentication) {
        Caller caller = authentication.caller();
        String tenant = caller.tenant(orgId);
        Mono<Long> start = StreamIds.start(feed, tenant, lastEventId);
        Duration valid = validFor(authentication.getToken());
        return Flux.using(() -> slots.open(caller.accountable(), caller.userId()),
                slot -> live(tenant, start).take(valid).concatWith(Mono.just(EXPIRED)),
                StreamSlots.Slot::close);
    }

    /**
     * How long the token that opens a stream stays valid (every accepted token has an {@code exp}: SecurityConfiguration's
     * token rules); a token already expired, though still inside the validators' clock skew, is refused.
     */
    private Duration validFor(Jwt jwt) {
        Duration left = Duration.between(clock.instant(), jwt.getExpiresAt());
        if (left.isNegative() || left.isZero()) {
            throw new SeatLedgerException(ErrorCode.UNAUTHENTICATED, "the bearer token has expired");
        }
        return left;
    }

    private Flux<ServerSentEvent<FeedData>> live(String tenant, Mono<Long> start) {
        long opened = System.nanoTime();
        return start.flatMapMany(seq -> feed.newestPosition(tenant).flatMapMany(position -> {
            AtomicLong delivered = new AtomicLong(seq);
            // when the newest probe that the feed has caught up with looked at the event store, until a drain reports it
            AtomicLong probed = new AtomicLong(NO_PROBE);
            Flux<Object> probes = Flux.interval(Duration.ZERO, lagInterval)
                    .onBackpressureDrop()
                    .concatMap(tick -> lag.probe(tenant).onErrorResume(failure -> Mono.empty()), 1)
                    .doOnNext(probed::set)
                    .cast(Object.class);
            Flux<Object> wakeUps = Flux.merge(
                    Flux.just(tenant),
                    notifications.organizations().filter(tenant::equals),
                    Flux.interval(pollInterval, pollInterval),
                    probes);
            Flux<ServerSentEvent<FeedData>> messages = wakeUps
                    .onBackpressureLatest()
                    .concatMap(wake -> drain(tenant, delivered, probed, opened), 1);
            Flux<ServerSentEvent<FeedData>> heartbeats = Flux.interval(heartbeat, heartbeat)
                    .map(tick -> ServerSentEvent.<FeedData>builder().comment("heartbeat").build());
            // first, the position the start follows: a client loading the state the stream will not send reads at it
            return Flux.concat(Mono.just(ServerSentEvent.<FeedData>builder().comment(START_COMMENT + position).build()),
                    Flux.merge(messages, heartbeats));
        }));
    }

    /**
     * Everything after the last delivered feed number that is ready, batch by batch; then, if a probe completed before the
     * drain began (the feed held every change stored up to its look), how long ago that look was.
     */
    private Flux<ServerSentEvent<FeedData>> drain(String orgId, AtomicLong delivered, AtomicLong probed, long opened) {
        return Flux.defer(() -> {
            long probe = probed.getAndSet(NO_PROBE);
            Flux<ServerSentEvent<FeedData>> ready = feed.after(orgId, delivered.get(), BATCH).collectList()
                    .expand(batch -> batch.size() < BATCH ? Mono.empty() : feed.after(orgId, batch.get(batch.size() - 1).seq(), BATCH).collectList())
                    .concatMapIterable(batch -> batch)
                    .map(entry -> {
                        delivered.set(Math.max(delivered.get(), entry.seq()));
                        return message(entry);
                    });
            return probe == NO_PROBE ? ready : ready.concatWith(Mono.fromSupplier(() -> {
                long now = System.nanoTime();
                return ServerSentEvent.<FeedData>builder()
                        .comment(LAG_COMMENT + Duration.ofNanos(now - probe).toMillis() + " " + Duration.ofNanos(now - opened).toMillis()).build();
            }));
        });
    }

    private static ServerSentEvent<FeedData> message(FeedEntry entry) {
        return ServerSentEvent.<FeedData>builder()
                .id(StreamIds.of(entry.seq()))
                .event(entry.event())
                .data(FeedData.of(entry))
                .build();
    }
}
