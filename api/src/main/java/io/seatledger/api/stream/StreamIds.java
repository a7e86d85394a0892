package io.seatledger.api.stream;

import io.seatledger.api.http.InvalidRequest;
import io.seatledger.query.feed.ChangeFeed;
import reactor.core.publisher.Mono;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ids of live-stream messages and what a {@code Last-Event-ID} means. An id is {@code s} followed by the
 * message's number in the organization's feed; a resume continues after it. A bare number is an id sent before
 * the feed was numbered (a global event position) and continues after the position. Anything else is refused
 * (400), so a client never silently starts somewhere it did not mean to.
 */
final class StreamIds {

    private static final String PREFIX = "s";
    private static final Pattern ID = Pattern.compile("(" + PREFIX + ")?(\\d{1,19})");

    private StreamIds() {
    }

    static String of(long seq) {
        return PREFIX + seq;
    }

    /** The feed number after which a stream starts: after {@code lastEventId}, or after the newest without one. */
    static Mono<Long> start(ChangeFeed feed, String orgId, String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return feed.head(orgId);
        }
        Matcher id = ID.matcher(lastEventId.trim());
        if (id.matches()) {
            try {
                long value = Long.parseLong(id.group(2));
                return id.group(1) != null ? feed.afterSequence(orgId, value) : feed.afterPosition(orgId, value);
            } catch (NumberFormatException tooLarge) {
                // refused below
            }
        }
        throw new InvalidRequest("Last-Event-ID", "must be the id of a message this stream sent (s and a number)");
    }
}
