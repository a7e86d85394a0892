package io.seatledger.client;

import io.seatledger.client.model.Page;
import io.seatledger.client.model.PoolStatus;
import io.seatledger.client.model.Seat;
import io.seatledger.client.model.SeatPool;
import io.seatledger.client.model.SeatStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@link EntitlementCache}'s one thread: opens the organization's live stream, loads the current state when it
 * has nothing to resume from, applies every message in order, and reopens the stream after failures (backoff),
 * after the service ended it (at once, with a fresh token) and after a silence longer than {@code maxSilence}
 * (a watchdog closes the connection, which nothing else would notice).
 */
final class StreamFollower {

    /** The stream's first comment: the global position its start follows. */
    static final String HEAD_COMMENT = "position ";
    /** The comment that says how current the stream is ({@code lag <ms> [<open ms>]}, see {@link #claimedAsOf}). */
    static final String LAG_COMMENT = "lag ";
    /** A longer lag means the same to the cache (not current), and would overflow the arithmetic of moments. */
    static final long MAX_LAG_MILLIS = 86_400_000L;

    private final EntitlementCache cache;
    private final SeatLedgerClient client;
    private final String orgId;
    private final int maxUsers;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration maxSilence;
    private final int pageSize;

    private volatile boolean closed;
    private volatile Thread thread;
    private volatile InputStream body;
    private volatile String resumeFrom;
    private volatile boolean loading;
    private long serverRetry = -1;
    /** A moment (System.nanoTime) the message being applied arrived after: its arrival, or earlier when that is not known. */
    private long arrivedAfter;
    /** When the last read that found nothing buffered began: everything read since arrived after it. */
    private long lastWaitBegan;
    /** When (System.nanoTime) the request that opened the current stream was sent. */
    private long requestSent;
    private Holdings memory;
    private boolean overflowReported;

    StreamFollower(EntitlementCache cache, SeatLedgerClient client, String orgId, int maxUsers, Duration minBackoff, Duration maxBackoff,
                   Duration maxSilence, int pageSize) {
        this.cache = cache;
        this.client = client;
        this.orgId = orgId;
        this.maxUsers = maxUsers;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.maxSilence = maxSilence;
        this.pageSize = pageSize;
    }

    void start(Executor executor) {
        if (executor != null) {
            executor.execute(this::run);
        } else {
            Thread reader = new Thread(this::run, "seat-ledger-entitlements-" + orgId);
            reader.setDaemon(true);
            reader.start();
        }
    }

    String lastEventId() {
        return resumeFrom;
    }

    void close() {
        closed = true;
        disconnect();
    }

    /** Drops the current connection and wakes the reader (the loop then reconnects, unless closed). */
    void disconnect() {
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing is all that is wanted
            }
        }
        Thread reader = thread;
        if (reader != null) {
            reader.interrupt();
        }
    }

    private void run() {
        thread = Thread.currentThread();
        Watchdog watchdog = new Watchdog();
        watchdog.start();
        int failures = 0;
        try {
            while (!closed) {
                Duration wait;
                try {
                    follow();
                    failures = 0;
                    wait = Duration.ZERO;
                    cache.goDown(null);
                } catch (SeatLedgerProblem problem) {
                    failures++;
                    if (problem.status() == 400 && resumeFrom != null) {
                        resumeFrom = null;
                    }
                    wait = backoff(failures, problem.retryAfter());
                    cache.goDown(problem);
                } catch (IOException | RuntimeException failure) {
                    if (closed) {
                        break;
                    }
                    failures++;
                    wait = backoff(failures, null);
                    cache.goDown(failure);
                }
                Thread.interrupted();
                if (closed) {
                    break;
                }
                cache.reconnecting();
                if (!wait.isZero() && !sleep(wait)) {
                    break;
                }
            }
        } finally {
            watchdog.interrupt();
            thread = null;
        }
    }

    /** One connection: open, load if there is nothing to resume from, apply messages until the stream ends. */
    private void follow() throws IOException {
        HttpResponse<InputStream> response = open();
        InputStream stream = response.body();
        body = stream;
        try {
            if (response.statusCode() != 200) {
                throw Http.problem(response.statusCode(), response.headers(), stream.readAllBytes());
            }
            cache.heard();
            SseReader reader = new SseReader(new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)), resumeFrom);
            lastWaitBegan = System.nanoTime();
            arrivedAfter = lastWaitBegan;
            SseReader.Message first = reader.next();
            if (first == null) {
                return;
            }
            cache.heard();
            if (resumeFrom == null || memory == null) {
                loading = true;
                try {
                    long head = headPosition(first);
                    if (head > 0) {
                        // the load must hold every change the stream will not send: those up to its head
                        client.http().readAtLeast(orgId, head);
                    }
                    cache.loadedUpTo(client.http().minPosition(orgId));
                    memory = load();
                } finally {
                    loading = false;
                }
                cache.loaded(memory);
            }
            apply(first, reader);
            cache.goLive();
            SseReader.Message message;
            while ((message = next(reader)) != null) {
                cache.heard();
                apply(message, reader);
            }
            serverRetry = reader.retryMillis();
        } finally {
            body = null;
            stream.close();
        }
    }

    /**
     * The global position the service's stream began after, from the comment it sends first ({@code position <n>}):
     * every change the stream will not send is at or below it. 0 when the service sent no such comment.
     */
    static long headPosition(SseReader.Message first) {
        if (!first.isComment() || !first.comment().startsWith(HEAD_COMMENT)) {
            return 0;
        }
        try {
            return Long.parseLong(first.comment().substring(HEAD_COMMENT.length()).trim());
        } catch (NumberFormatException unreadable) {
            return 0;
        }
    }

    /**
     * The next message, noting in {@link #arrivedAfter} a moment it arrived after (as System.nanoTime). A message read after
     * waiting for it arrived just now; one already buffered (it came while the load ran, or while earlier messages were
     * applied) arrived after the last wait began, and that earlier moment is noted, so that a {@code lag} comment read late
     * never makes memory look more current than it is.
     */
    private SseReader.Message next(SseReader reader) throws IOException {
        boolean waited = !reader.nextHasArrived();
        long waitingSince = System.nanoTime();
        SseReader.Message message = reader.next();
        if (waited) {
            lastWaitBegan = waitingSince;
            arrivedAfter = System.nanoTime();
        } else {
            arrivedAfter = lastWaitBegan;
        }
        return message;
    }

    /**
     * The moment (System.nanoTime) before which, a {@code lag <ms> [<open ms>]} comment says, every change was sent; empty
     * for any other comment. The moment the comment was made is taken as the earlier of two bounds: when it arrived at the
     * latest ({@code arrivedAfter}: later than it was made when it waited in a buffer this process cannot see), and, when
     * the service says how long after the stream opened it made the line, the request's sending plus that (the stream
     * opened after the request was sent, so this is never later than the making).
     */
    static OptionalLong claimedAsOf(SseReader.Message comment, long arrivedAfter, long requestSent) {
        if (!comment.comment().startsWith(LAG_COMMENT)) {
            return OptionalLong.empty();
        }
        String[] parts = comment.comment().substring(LAG_COMMENT.length()).trim().split(" ");
        try {
            long lag = TimeUnit.MILLISECONDS.toNanos(bounded(Long.parseLong(parts[0])));
            long made = arrivedAfter;
            if (parts.length > 1) {
                long sinceOpen = requestSent + TimeUnit.MILLISECONDS.toNanos(bounded(Long.parseLong(parts[1])));
                if (sinceOpen - made < 0) {
                    made = sinceOpen;
                }
            }
            return OptionalLong.of(made - lag);
        } catch (NumberFormatException unreadable) {
            return OptionalLong.empty();
        }
    }

    /** A duration in milliseconds as the arithmetic of moments can take it: 0 to a day. */
    private static long bounded(long millis) {
        return Math.min(MAX_LAG_MILLIS, Math.max(0, millis));
    }

    private HttpResponse<InputStream> open() throws IOException {
        Http http = client.http();
        HttpRequest.Builder request = HttpRequest.newBuilder(http.base().resolve("/api/v1/orgs/" + Request.segment(orgId) + "/stream"))
                .header("Accept", "text/event-stream")
                .header("User-Agent", "seat-ledger-java-client")
                .timeout(maxSilence)
                .GET();
        String token = http.token();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        String from = resumeFrom;
        if (from != null && memory != null) {
            request.header("Last-Event-ID", from);
        }
        try {
            requestSent = System.nanoTime();
            return http.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException interrupted) {
            throw new IOException("interrupted while opening the stream", interrupted);
        }
    }

    /**
     * The organization's pools and the claimed seats of every pool not canceled (a suspended pool's seats are kept and
     * entitle again once it is paid), page by page.
     */
    private Holdings load() {
        Holdings loaded = new Holdings(maxUsers);
        overflowReported = false;
        Pools pools = client.pools(orgId);
        String poolCursor = null;
        do {
            Page<SeatPool> page = pools.list(null, poolCursor, pageSize);
            for (SeatPool pool : page.items()) {
                loaded.poolStatus(pool.poolId(), wire(pool.status()));
                if (pool.status() == PoolStatus.CANCELED) {
                    continue;
                }
                String seatCursor = null;
                do {
                    Page<Seat> seats = pools.seats(pool.poolId(), SeatStatus.CLAIMED, seatCursor, pageSize);
                    for (Seat seat : seats.items()) {
                        if (seat.holderUserId() != null) {
                            loaded.claimed(pool.poolId(), seat.seatId(), seat.holderUserId());
                        }
                    }
                    seatCursor = seats.next();
                } while (seatCursor != null);
            }
            poolCursor = page.next();
        } while (poolCursor != null);
        reportOverflow(loaded);
        return loaded;
    }

    /** Applies one stream message: every message carries its pool's status; seat messages add or end a holding. */
    private void apply(SseReader.Message message, SseReader reader) {
        if (message.isComment()) {
            claimedAsOf(message, arrivedAfter, requestSent).ifPresent(cache::current);
            return;
        }
        if (reader.lastEventId() != null) {
            resumeFrom = reader.lastEventId();
        }
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(message.data());
        } catch (JacksonException unreadable) {
            return;
        }
        String poolId = text(data, "poolId");
        if (poolId == null) {
            cache.applied(0);
            return;
        }
        String status = text(data, "status");
        if (status != null) {
            memory.poolStatus(poolId, status);
        }
        String seatId = text(data, "seatId");
        switch (message.type()) {
            case "seat.claimed" -> {
                String holder = text(data, "holderUserId");
                if (seatId != null && holder != null) {
                    memory.claimed(poolId, seatId, holder);
                    reportOverflow(memory);
                }
            }
            case "seat.revoked", "seat.expired", "seat.transferred" -> {
                if (seatId != null) {
                    memory.ended(seatId);
                }
            }
            default -> {
                // pool messages and usage thresholds only carry the pool's status, applied above
            }
        }
        JsonNode position = data.get("position");
        cache.applied(position != null && position.canConvertToLong() ? position.asLong() : 0);
    }

    private void reportOverflow(Holdings holdings) {
        if (holdings.overflowed() && !overflowReported) {
            overflowReported = true;
            cache.overflowedOnce(maxUsers);
        }
    }

    private Duration backoff(int failures, Duration retryAfter) {
        long bound = minBackoff.toNanos() << Math.min(failures - 1, 20);
        if (bound <= 0 || bound > maxBackoff.toNanos()) {
            bound = maxBackoff.toNanos();
        }
        Duration wait = Duration.ofNanos(bound / 2 + ThreadLocalRandom.current().nextLong(bound / 2 + 1));
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        if (serverRetry > 0 && Duration.ofMillis(serverRetry).compareTo(wait) > 0) {
            wait = Duration.ofMillis(serverRetry);
        }
        return wait;
    }

    private boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException interrupted) {
            return !closed;
        }
    }

    private static String wire(PoolStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** Closes a connection that stayed silent for longer than {@code maxSilence}. */
    private final class Watchdog extends Thread {
        Watchdog() {
            super("seat-ledger-entitlements-watchdog-" + orgId);
            setDaemon(true);
        }

        @Override
        public void run() {
            long period = Math.max(10, maxSilence.toMillis() / 3);
            while (!closed) {
                try {
                    Thread.sleep(period);
                } catch (InterruptedException stop) {
                    return;
                }
                if (body != null && !loading && cache.lag().compareTo(maxSilence) > 0) {
                    disconnect();
                }
            }
        }
    }
}
