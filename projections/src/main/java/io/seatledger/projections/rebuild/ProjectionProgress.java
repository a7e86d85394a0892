package io.seatledger.projections.rebuild;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How far each projection is behind the event store. Positions come from {@code read_model.processed_positions},
 * which every instance writes with its tokens, so any instance reports the whole cluster's progress; the
 * status (running, replaying, rebuilding, failing, stopped) is this instance's view of its own processors.
 */
@Component
public class ProjectionProgress {

    public record Progress(String name, long position, long headPosition, long lag, String status) {
    }

    private final JdbcTemplate jdbc;
    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    private final EventProcessingConfiguration processing;
    private final ShadowRebuild rebuilds;

    public ProjectionProgress(JdbcTemplate jdbc, StreamableMessageSource<TrackedEventMessage<?>> events,
                              EventProcessingConfiguration processing, ShadowRebuild rebuilds) {
        this.jdbc = jdbc;
        this.events = events;
        this.processing = processing;
        this.rebuilds = rebuilds;
    }

    public List<Progress> all() {
        long head = headPosition();
        Map<String, Long> positions = positions();
        return processing.eventProcessors().keySet().stream().sorted()
                .map(name -> progress(name, positions.getOrDefault(name, -1L), head))
                .toList();
    }

    /** The position of the newest stored event, or -1 when there is none. */
    public long headPosition() {
        TrackingToken head = events.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    /**
     * Each processor's slowest segment: everything up to it is applied. A segment records its position with its
     * token, which an idle segment (no event of its own for a while) stores only every few seconds; where this
     * instance runs the segment, its in-memory position is used when it is further.
     */
    public Map<String, Long> positions() {
        Map<String, Map<Integer, Long>> segments = new java.util.HashMap<>();
        jdbc.query("select processor, segment, position from read_model.processed_positions", row -> {
            segments.computeIfAbsent(row.getString("processor"), p -> new java.util.HashMap<>()).put(row.getInt("segment"), row.getLong("position"));
        });
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                streaming.processingStatus().forEach((segment, status) -> status.getCurrentPosition().ifPresent(position ->
                        segments.computeIfAbsent(name, p -> new java.util.HashMap<>()).merge(segment, position, Math::max)));
            }
        });
        return segments.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue().values().stream().mapToLong(Long::longValue).min().orElse(-1)));
    }

    private Progress progress(String name, long position, long head) {
        return new Progress(name, position, head, Math.max(0, head - position), status(name));
    }

    private String status(String name) {
        if (rebuilds.running(name)) {
            return "rebuilding";
        }
        EventProcessor processor = processing.eventProcessors().get(name);
        if (processor instanceof StreamingEventProcessor streaming) {
            if (streaming.isError() || streaming.processingStatus().values().stream().anyMatch(s -> s.isErrorState())) {
                return "failing";
            }
            if (streaming.processingStatus().values().stream().anyMatch(s -> s.isReplaying())) {
                return "replaying";
            }
        }
        return processor != null && processor.isRunning() ? "running" : "stopped";
    }
}
