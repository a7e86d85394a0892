package io.seatledger.client;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entitlement cache's HTTP answers of the last moment, per user, so that a product checking the same user many
 * times a second while the stream is down or behind asks the service once per {@code reuse}, not once per check.
 * An answer is dated from before it was asked, so it is never reused for longer than {@code reuse} after the service
 * could have answered differently; it is not reused once the client has written since (its reads must then reflect a
 * later position); a slower, older answer never replaces a newer one. Bounded: at {@code maxUsers} users the expired
 * answers go, and if none has expired, all.
 */
final class RecentAnswers {

    /** Users whose last answer is kept. */
    static final int MAX_USERS = 100_000;

    private record Answer(boolean entitled, long askedAtNanos, long position) {
    }

    private final long reuseNanos;
    private final int maxUsers;
    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();

    RecentAnswers(Duration reuse, int maxUsers) {
        this.reuseNanos = reuse.toNanos();
        this.maxUsers = maxUsers;
    }

    /** The user's answer asked at or after {@code now - reuse}, for reads at {@code position} or later, or null. */
    Boolean answer(String userId, long now, long position) {
        if (reuseNanos <= 0) {
            return null;
        }
        Answer recent = answers.get(userId);
        return recent != null && now - recent.askedAtNanos() < reuseNanos && position <= recent.position() ? recent.entitled() : null;
    }

    /** Keeps the answer asked at {@code askedAtNanos} by a read at {@code position}, unless a newer one is kept. */
    void remember(String userId, boolean entitled, long askedAtNanos, long position) {
        if (reuseNanos <= 0) {
            return;
        }
        if (answers.size() >= maxUsers) {
            answers.values().removeIf(answer -> askedAtNanos - answer.askedAtNanos() >= reuseNanos);
            if (answers.size() >= maxUsers) {
                answers.clear();
            }
        }
        answers.merge(userId, new Answer(entitled, askedAtNanos, position),
                (kept, asked) -> asked.askedAtNanos() - kept.askedAtNanos() >= 0 ? asked : kept);
    }
}
