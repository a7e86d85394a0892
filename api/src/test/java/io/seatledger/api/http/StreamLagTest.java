package io.seatledger.api.http;

import io.seatledger.api.config.projections.DeadLetterConfiguration;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.SeatPoolRowRefusal;
import io.seatledger.api.support.Processors;
import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.projections.audit.AuditTrailProjection;
import org.axonframework.config.EventProcessingConfiguration;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream's {@code lag <ms>} comment: a claim that every change stored more than that long ago has been sent. While
 * either processor a message needs is stopped (audit-trail writes the feed, seat-pools counts the pool a message carries),
 * a change stored then is not sent, so no comment may claim a moment after it; heartbeats keep coming all the while (so
 * only the lag comment can tell a client that the stream is behind). Once the processor runs again, the change is sent
 * and the comments claim later moments again. The same holds while an event of the organization waits in the
 * dead-letter queue, past which every processor's token has moved.
 */
class StreamLagTest extends ApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS = new ParameterizedTypeReference<>() {
    };
    /** Time between a comment's making and its arrival here (a collection pause included), and the milliseconds its value drops. */
    private static final long TRANSIT_NANOS = Duration.ofMillis(250).toNanos();

    /** A comment or message with the moment (System.nanoTime) it arrived. */
    private record Arrival(long atNanos, ServerSentEvent<Map<String, Object>> event) {

        /** The moment before which, the comment says, every stored change was sent; null for anything else. */
        Long claimsAsOf() {
            String comment = event.comment();
            // lag <ms> <ms since the stream opened>: the first is what is claimed
            return comment != null && comment.startsWith("lag ")
                    ? atNanos - Duration.ofMillis(Long.parseLong(comment.substring(4).trim().split(" ")[0])).toNanos() : null;
        }
    }

    @Autowired EventProcessingConfiguration processing;
    @Autowired JdbcTemplate jdbc;
    /** Triggers are the tables' owner's to add. */
    @Autowired DatabaseOwner owner;
    @Autowired DeadLetterConfiguration.DeadLetterRetry deadLetters;
    @Autowired MeterRegistry meters;

    @ParameterizedTest
    @ValueSource(strings = {AuditTrailProjection.PROCESSOR, SeatPoolProjection.PROCESSOR})
    void noLagCommentClaimsAMomentAfterAChangeTheStreamCannotSendYetAndHeartbeatsContinue(String stopped) {
        Processors processors = new Processors(processing, jdbc);
        try {
            claimsWaitFor(() -> processors.named(stopped).shutDown(), () -> processors.named(stopped).start());
        } finally {
            if (!processors.named(stopped).isRunning()) {
                processors.named(stopped).start();
            }
        }
    }

    /**
     * The seat-pools processor refuses the organization's rows, so its events go to the dead-letter queue (its token moves
     * on past them, and so do those of every other processor): the stream cannot send them, and no claim passes them
     * until the retry has applied them.
     */
    @Test
    void noLagCommentPassesAnEventWaitingInTheDeadLetterQueue() {
        double withheld = meters.counter("seatledger.stream.lag.withheld", "reason", "dead_letter").count();
        try {
            claimsWaitFor(() -> SeatPoolRowRefusal.refuse(owner, orgId), () -> {
                SeatPoolRowRefusal.heal(owner);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    deadLetters.retry();
                    assertThat(jdbc.queryForObject("select count(*) from axon.dead_letter_entry where sequence_identifier = ?", Integer.class, orgId))
                            .isZero();
                });
            });
        } finally {
            SeatPoolRowRefusal.heal(owner);
        }
        assertThat(meters.counter("seatledger.stream.lag.withheld", "reason", "dead_letter").count())
                .as("the claims withheld are counted").isGreaterThan(withheld);
        assertThat(meters.timer("seatledger.stream.lag").count()).as("the claims made are timed").isPositive();
    }

    /**
     * Opens a stream, then holds the organization's next change back from it ({@code hold}), stores the change, and checks
     * for 4 s that no message and no lag claim passes it while heartbeats come; after {@code release}, the change is sent
     * before the first claim that passes it.
     */
    private void claimsWaitFor(Runnable hold, Runnable release) {
        String poolId = buyPool(3);
        long bought = System.nanoTime();
        List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        Disposable stream = manager.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(EVENTS).getResponseBody()
                .subscribe(event -> arrivals.add(new Arrival(System.nanoTime(), event)));
        try {
            // the purchase, if the stream sends it at all, comes before this
            await().atMost(Duration.ofSeconds(10)).until(() -> arrivals.stream().anyMatch(arrival -> arrival.claimsAsOf() != null
                    && arrival.claimsAsOf() > bought + TRANSIT_NANOS));

            hold.run();
            manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", "lagging@example.com")).exchange().expectStatus().isCreated();
            long storedBy = System.nanoTime();
            int before = arrivals.size();
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
            List<Arrival> whileHeld = List.copyOf(arrivals.subList(before, arrivals.size()));
            assertThat(whileHeld).as("the stream is heard while the change is held back")
                    .anyMatch(arrival -> "heartbeat".equals(arrival.event().comment()));
            assertThat(whileHeld).as("nothing is sent past the change").noneMatch(arrival -> arrival.event().event() != null);
            assertThat(whileHeld).filteredOn(arrival -> arrival.claimsAsOf() != null)
                    .as("no lag comment claims a moment after the change was stored")
                    .allSatisfy(arrival -> assertThat(arrival.claimsAsOf()).isLessThanOrEqualTo(storedBy + TRANSIT_NANOS));

            release.run();
            await().atMost(Duration.ofSeconds(20)).until(() -> arrivals.stream().anyMatch(arrival -> arrival.claimsAsOf() != null
                    && arrival.claimsAsOf() > storedBy + TRANSIT_NANOS));
            int assigned = indexOf(arrivals, "seat.assigned");
            int current = -1;
            for (int i = 0; i < arrivals.size(); i++) {
                Long asOf = arrivals.get(i).claimsAsOf();
                if (asOf != null && asOf > storedBy + TRANSIT_NANOS) {
                    current = i;
                    break;
                }
            }
            assertThat(assigned).as("the change was sent").isGreaterThanOrEqualTo(before);
            assertThat(assigned).as("before any comment that claims a moment after it").isLessThan(current);
        } finally {
            stream.dispose();
        }
    }

    private static int indexOf(List<Arrival> arrivals, String event) {
        for (int i = 0; i < arrivals.size(); i++) {
            if (event.equals(arrivals.get(i).event().event())) {
                return i;
            }
        }
        return -1;
    }
}
