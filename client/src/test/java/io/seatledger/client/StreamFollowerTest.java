package io.seatledger.client;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a {@code lag} comment claims: never a moment later than the service made it minus its lag, however late it is read. */
class StreamFollowerTest {

    private static final long SENT = 1_000_000_000L;

    private static OptionalLong claim(String comment, long arrivedAfterMillis) {
        return StreamFollower.claimedAsOf(new SseReader.Message(null, null, null, comment), SENT + millis(arrivedAfterMillis), SENT);
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aCommentReadAsItArrivesCountsFromItsArrival() {
        assertThat(claim("lag 100", 7_000)).hasValue(SENT + millis(6_900));
        assertThat(claim("lag 100 7000", 7_003)).as("made 7,000 ms after the stream opened, which was after the request")
                .hasValue(SENT + millis(6_900));
    }

    @Test
    void aCommentReadLateFromABacklogCountsFromWhenTheServiceMadeIt() {
        // read 9 s after the request from a buffer nobody could see into; made 5 s after the stream opened
        assertThat(claim("lag 100 5000", 9_000)).hasValue(SENT + millis(4_900));
        assertThat(claim("lag 100 5000", 3_000)).as("the earlier bound wins either way").hasValue(SENT + millis(2_900));
    }

    @Test
    void otherCommentsAndUnreadableOnesClaimNothingAndHugeValuesAreBounded() {
        assertThat(claim("heartbeat", 1)).isEmpty();
        assertThat(claim("position 12", 1)).isEmpty();
        assertThat(claim("lag soon", 1)).isEmpty();
        assertThat(claim("lag 5 later", 1)).isEmpty();
        assertThat(claim("lag 99999999999999999", 1)).as("at most a day").hasValue(SENT + millis(1) - millis(StreamFollower.MAX_LAG_MILLIS));
        assertThat(claim("lag -5", 1)).hasValue(SENT + millis(1));
    }
}
