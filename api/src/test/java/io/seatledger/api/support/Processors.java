package io.seatledger.api.support;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Drives and watches streaming processors in tests. */
public final class Processors {

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;

    public Processors(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        this.processing = processing;
        this.jdbc = jdbc;
    }

    public StreamingEventProcessor named(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
    }

    /**
     * Waits until every segment of these processors is claimed here and has processed every stored event. (After a reset Axon
     * reports a segment as replaying until an event beyond the reset position arrives, so that flag says
     * nothing here.)
     */
    public void awaitCaughtUp(String... names) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            Long head = jdbc.queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
            for (String name : names) {
                Integer segments = jdbc.queryForObject("select count(*) from axon.token_entry where processor_name = ?", Integer.class, name);
                assertThat(named(name).processingStatus()).as(name + " segments claimed").hasSize(segments);
                assertThat(named(name).processingStatus().values()).as(name).isNotEmpty().allSatisfy(segment -> {
                    assertThat(segment.isErrorState()).as(name + " failing: " + segment).isFalse();
                    assertThat(segment.isCaughtUp()).as(name + " caught up: " + segment).isTrue();
                    assertThat(segment.getCurrentPosition().orElse(-1)).as(name + " position: " + segment).isGreaterThanOrEqualTo(head);
                });
            }
        });
    }

    /** Replays every stored event into these processors, optionally after clearing what they built. */
    public void replayFromTheStart(Runnable clearReadModel, String... names) {
        for (String name : names) {
            named(name).shutDown();
        }
        clearReadModel.run();
        for (String name : names) {
            named(name).resetTokens();
            named(name).start();
        }
        awaitCaughtUp(names);
    }
}
