package io.seatledger.client;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entitlement cache's HTTP answers of the last moment, per user, so that a product checking the same user many
 * times a second while the stream is down or behind asks the service once per {@code reuse}, not once per check.
 * Bounded: past {@code maxUsers} users it starts afresh. An answer is dated from before it was asked, so it is never
 * reused for longer than {@code reuse} after the service could have answered differently.
 */
final class RecentAnswers {

    /** Users whose last answer is kept. */
    static final int MAX_USERS = 100_000;

    private record Answer(boolean entitled, long askedAtNanos) {
    }

    private final long reuseNanos;
    private final int maxUsers;
    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();

    RecentAnswers(Duration reuse, int maxUsers) {
        this.reuseNanos = reuse.toNanos();
        this.maxUsers = maxUsers;
    }

    /** The user's answer asked at or after {@code now - reuse}, or null. */
    Boolean answer(String userId, long now) {
        if (reuseNanos <= 0) {
            return null;
        }
        Answer recent = answers.get(userId);
        return recent != null && now - recent.askedAtNanos() < reuseNanos ? recent.entitled() : null;
    }

    /** Keeps the answer asked at {@code askedAtNanos}. */
    void remember(String userId, boolean entitled, long askedAtNanos) {
        if (reuseNanos <= 0) {
            return;
        }
        if (answers.size() >= maxUsers) {
            answers.clear();
        }
        answers.put(userId, new Answer(entitled, askedAtNanos));
    }
}
