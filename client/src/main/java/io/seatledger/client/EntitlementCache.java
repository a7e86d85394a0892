package io.seatledger.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers "does this user hold a seat?" for one organization from memory, kept current by the organization's live
 * stream, so that a product asking on every request it serves pays a map lookup instead of a round trip.
 *
 * <p><b>Start.</b> {@link #start()} opens the stream without {@code Last-Event-ID} (the service starts it at the
 * organization's head), reads its first line (the global position of the newest change the stream will not send), then
 * loads the organization's pools and their claimed seats over HTTP at that position ({@code minPosition}) and only then
 * applies the stream's messages, in order. No change is lost: a change the stream will not send is at or below that
 * position, so the load shows it; a later change is on the stream. A change both loaded and
 * streamed is applied twice, which is harmless: each message sets a seat's or a pool's state rather than
 * toggling it, so the last message about a seat wins whatever the load saw.
 *
 * <p><b>Answers.</b> {@link #isEntitled(String)} answers from memory while the stream is live: entitled when the
 * user holds a claimed seat in an active pool. A pool past due may or may not be in its grace period (the stream does
 * not say), so a user whose only seats are in such pools is asked over HTTP, as is every user while the stream is down,
 * loading, silent for longer than {@code maxSilence} (it sends a heartbeat every 15 s), or behind the service's store by
 * more than {@code maxStaleness} (the stream says about every second how long ago the newest change it has surely sent
 * was stored, so a stream that flows but lags is noticed), and users memory does not hold once it overflowed. Each such
 * answer counts as a {@link #fallbacks() fallback}; an HTTP failure is thrown.
 *
 * <p><b>Disconnects.</b> After a failure the stream is reopened with {@code Last-Event-ID} (exponential backoff with
 * jitter, at least the service's {@code Retry-After} or {@code retry:}); when the service ends the stream (its
 * token expired) it is reopened at once with a fresh token from the client's token supplier. Without an id to
 * resume from (nothing arrived since the load) or when the service refuses the id, the cache loads everything again.
 *
 * <p><b>Memory.</b> At most {@code maxUsers} holders are kept. Holders beyond it are
 * not remembered: from then on users memory does not hold are asked over HTTP instead of being answered "no"
 * ({@link #overflowed()}), until a full reload finds them within the bound.
 */
public final class EntitlementCache implements AutoCloseable {

    /** Told about the cache's changes of state; called on the stream's thread, so keep it short. */
    public interface Listener {
        /** The cache answers from memory again. */
        default void live() {
        }

        /** The stream failed or ended; answers go to HTTP until it is live again. {@code cause} is null when the service ended it. */
        default void down(Throwable cause) {
        }

        /** A holder was not remembered because memory holds {@code maxUsers} users. */
        default void overflowed(int maxUsers) {
        }
    }

    private final SeatLedgerClient client;
    private final String orgId;
    private final Listener listener;
    private final long maxSilenceNanos;
    private final long maxStalenessNanos;
    private final StreamFollower follower;
    private final CountDownLatch firstLive = new CountDownLatch(1);

    private final LongAdder hits = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder behind = new LongAdder();
    private final LongAdder reused = new LongAdder();
    private final RecentAnswers recentAnswers;
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder reloads = new LongAdder();
    private final LongAdder messages = new LongAdder();

    private final boolean followOwnWrites;
    private final Positions positions;
    private volatile long appliedPosition;
    private volatile Holdings holdings;
    private volatile boolean live;
    private volatile long lastHeardNanos;
    /** Every change stored before this moment (System.nanoTime) is in memory, as the stream last said; NOT_SAID until it says so. */
    private volatile long currentAsOfNanos = NOT_SAID;
    private static final long NOT_SAID = Long.MIN_VALUE;

    private EntitlementCache(Builder builder) {
        this.client = builder.client;
        this.orgId = builder.orgId;
        this.listener = builder.listener;
        this.maxSilenceNanos = builder.maxSilence.toNanos();
        this.maxStalenessNanos = builder.maxStaleness.toNanos();
        this.recentAnswers = new RecentAnswers(builder.reuseHttpAnswersFor, RecentAnswers.MAX_USERS);
        this.followOwnWrites = builder.followOwnWrites;
        this.positions = client.http().positions();
        this.follower = new StreamFollower(this, client, orgId, builder.maxUsers, builder.minBackoff, builder.maxBackoff, builder.maxSilence,
                builder.pageSize);
    }

    /** Opens the stream and loads the current entitlements in the background; answers use HTTP until then. */
    public EntitlementCache start() {
        follower.start(client.executor());
        return this;
    }

    /** Waits until the cache first answers from memory; false if that did not happen in time. */
    public boolean awaitLive(Duration timeout) throws InterruptedException {
        return firstLive.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Whether the user holds a claimed seat in a pool in service. From memory while the stream is live (no
     * allocation); otherwise over HTTP.
     */
    public boolean isEntitled(String userId) {
        long now = System.nanoTime();
        boolean ownWriteUnseen = behindOwnWrites(now);
        if (live && now - lastHeardNanos < maxSilenceNanos && !ownWriteUnseen) {
            if (behindTheStore(now)) {
                behind.increment();
            } else {
                byte answer = holdings.answer(userId);
                if (answer != Holdings.UNKNOWN) {
                    hits.increment();
                    return answer == Holdings.ENTITLED;
                }
            }
        }
        fallbacks.increment();
        // the position this client's reads must reflect (its own writes): an answer asked before a later write is not reused
        long required = client.http().minPosition(orgId);
        if (!ownWriteUnseen) {
            Boolean recent = recentAnswers.answer(userId, now, required);
            if (recent != null) {
                reused.increment();
                return recent;
            }
        }
        boolean entitled = client.entitlements(orgId).of(userId).entitled();
        recentAnswers.remember(userId, entitled, now, required);
        return entitled;
    }

    /**
     * Whether this client answered a write of the organization that the stream has not shown yet (only when
     * following its own writes; a write the stream never shows, such as a resent invitation, is waited for at
     * most {@code maxSilence}).
     */
    private boolean behindOwnWrites(long now) {
        if (!followOwnWrites) {
            return false;
        }
        Positions.Mark written = positions.mark(orgId);
        return written != null && written.position() > appliedPosition && now - written.atNanos() < maxSilenceNanos;
    }

    /**
     * Whether the stream said it is current (every change stored up to {@code maxStaleness} ago sent) longer ago than
     * {@code maxStaleness}. A service that never says so (an older version) is trusted as long as it is heard.
     */
    private boolean behindTheStore(long now) {
        long asOf = currentAsOfNanos;
        return asOf != NOT_SAID && now - asOf > maxStalenessNanos;
    }

    /** Whether answers come from memory now. */
    public boolean isLive() {
        long now = System.nanoTime();
        return live && now - lastHeardNanos < maxSilenceNanos && !behindTheStore(now);
    }

    /** Answers given from memory. */
    public long hits() {
        return hits.sum();
    }

    /** Answers asked over HTTP (stream down, loading, silent, behind, a past-due pool, or a user memory does not hold). */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** The fallbacks that were asked over HTTP because the stream was behind the service's store by more than {@code maxStaleness}. */
    public long behind() {
        return behind.sum();
    }

    /** The fallbacks answered with an HTTP answer for the same user from within {@code reuseHttpAnswersFor}, not asked again. */
    public long reused() {
        return reused.sum();
    }

    /** Times the stream was opened again after it failed or ended. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Times the whole state was loaded over HTTP (the first load included). */
    public long reloads() {
        return reloads.sum();
    }

    /** Stream messages applied. */
    public long messages() {
        return messages.sum();
    }

    /** How long ago the stream last sent anything (a message, a heartbeat or a {@code lag} comment). */
    public Duration lag() {
        long heard = lastHeardNanos;
        return heard == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - heard);
    }

    /**
     * How far memory may be behind the service's store: the time since the newest change the stream has said it sent was
     * stored. Null when the service has not said (it sends {@code lag} comments about every second; an older version does not).
     */
    public Duration staleness() {
        long asOf = currentAsOfNanos;
        return asOf == NOT_SAID ? null : Duration.ofNanos(System.nanoTime() - asOf);
    }

    /** The id of the last stream message applied (what a reconnect resumes after), or null. */
    public String lastEventId() {
        return follower.lastEventId();
    }

    /** Holders in memory. */
    public int users() {
        Holdings current = holdings;
        return current == null ? 0 : current.users();
    }

    /** Whether memory reached {@code maxUsers} and left holders out. */
    public boolean overflowed() {
        Holdings current = holdings;
        return current != null && current.overflowed();
    }

    /** Stops following the stream; answers go to HTTP from now on. */
    @Override
    public void close() {
        live = false;
        follower.close();
    }

    // called by the follower, on its thread

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** A message was applied; {@code position} is its event's global position (0 when the message names none). */
    void applied(long position) {
        messages.increment();
        if (position > appliedPosition) {
            appliedPosition = position;
        }
    }

    /** The stream said that it sent every change stored before {@code asOf} (System.nanoTime). */
    void current(long asOf) {
        long before = currentAsOfNanos;
        if (before == NOT_SAID || asOf - before > 0) {
            currentAsOfNanos = asOf;
        }
    }

    /** The global position a load was asked to include (the client's own writes up to then). */
    void loadedUpTo(long position) {
        if (position > appliedPosition) {
            appliedPosition = position;
        }
    }

    /** The highest global event position memory has applied (from the stream's messages and the loads), 0 when none. */
    public long appliedPosition() {
        return appliedPosition;
    }

    void loaded(Holdings loaded) {
        reloads.increment();
        holdings = loaded;
    }

    void goLive() {
        heard();
        if (!live) {
            live = true;
            firstLive.countDown();
            listener.live();
        }
    }

    void goDown(Throwable cause) {
        if (live) {
            live = false;
        }
        listener.down(cause);
    }

    void reconnecting() {
        reconnects.increment();
    }

    void overflowedOnce(int maxUsers) {
        listener.overflowed(maxUsers);
    }

    public static final class Builder {
        private final SeatLedgerClient client;
        private final String orgId;
        private int maxUsers = 1_000_000;
        private Duration maxSilence = Duration.ofSeconds(45);
        private Duration maxStaleness = Duration.ofSeconds(3);
        private Duration reuseHttpAnswersFor = Duration.ofMillis(250);
        private Duration minBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int pageSize = 1000;
        private boolean followOwnWrites;
        private Listener listener = new Listener() {
        };

        Builder(SeatLedgerClient client, String orgId) {
            this.client = client;
            this.orgId = Objects.requireNonNull(orgId);
        }

        /** The most holders kept in memory (default 1,000,000); beyond it unknown users are asked over HTTP. */
        public Builder maxUsers(int maxUsers) {
            this.maxUsers = maxUsers;
            return this;
        }

        /**
         * How long the stream may send nothing before memory is no longer trusted and the stream is reopened
         * (default 45 s: three of the service's heartbeats).
         */
        public Builder maxSilence(Duration maxSilence) {
            this.maxSilence = maxSilence;
            return this;
        }

        /**
         * How far behind the service's store memory may be before answers go to HTTP (default 3 s). The stream says how
         * current it is about every second, and each time it is at least that second plus the service's projection lag old.
         */
        public Builder maxStaleness(Duration maxStaleness) {
            this.maxStaleness = maxStaleness;
            return this;
        }

        /**
         * While answers go over HTTP, how long a user's answer is reused rather than asked again (default 250 ms; zero asks
         * every time). Without it, every check a busy product makes becomes a request to the service at the moment the
         * stream is down or behind, which is when the service is busiest. Never reused after this client's own write
         * that the stream has not shown ({@code followOwnWrites}).
         */
        public Builder reuseHttpAnswersFor(Duration reuse) {
            this.reuseHttpAnswersFor = reuse;
            return this;
        }

        /** The bounds of the backoff between failed reconnects (defaults 250 ms and 30 s). */
        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** Pools and seats per page of the initial load (1 to 1000). */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /**
         * After its own client's command for the organization is answered, ask over HTTP (which waits for that write)
         * until the stream has shown it, so that a revocation this process made is never answered "entitled" from
         * memory. Off by default: a process that writes continuously would then ask over HTTP most of the time.
         */
        public Builder followOwnWrites(boolean followOwnWrites) {
            this.followOwnWrites = followOwnWrites;
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public EntitlementCache build() {
            return new EntitlementCache(this);
        }

        /** Builds and {@link EntitlementCache#start() starts} the cache. */
        public EntitlementCache start() {
            return build().start();
        }
    }
}
