package io.seatledger.projections.positions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Read-your-writes for reads that name a position: waits until the processors behind a read model have applied
 * every stored event up to it. One poller serves every waiting read: while any waits, it looks every
 * {@link #POLL} at each segment's token (this instance's own segments in memory, every instance's in
 * {@code read_model.processed_positions}) and completes the reads whose position every segment has passed, so a
 * thousand waiting reads cost what one does. A gap of a token below the position holds a read back only if the event
 * it stands for is stored by then: one left by a rolled-back transaction never is (and Axon keeps such a gap for
 * long), one of a transaction still running is not part of what any client can have seen. A processor that sees all of
 * an organization's events on one segment (sequenced by organization) is waited for only on the segment that holds
 * the reader's organization: a tenant's read does not wait for other tenants' segments.
 */
public class ReadModelWaits implements DisposableBean {

    static final Duration POLL = Duration.ofMillis(10);
    static final int REMEMBERED = 10_000;
    /**
     * How long a seen position is trusted: a read model swapped in by another instance's rebuild (which this one is not
     * told of) may stand behind it for that long at most.
     */
    static final Duration REMEMBER_FOR = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ReadModelWaits.class);

    private record Waiter(Set<String> processors, String organization, long position, long deadline, CompletableFuture<Boolean> done) {
    }

    /** One segment's progress: every event up to {@code position} was seen, except the {@code gaps}. */
    record SegmentProgress(long position, SortedSet<Long> gaps) {
    }

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    private final Set<String> sequencedByOrganization;
    private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    /** How often a failing look is warned of at most. */
    static final Duration WARN_AT_MOST_EVERY = Duration.ofMinutes(1);
    /** When a failed look was last warned of, and whether no look has worked since (only the poller's thread uses them). */
    private long lastWarnedNanos;
    private boolean warnedOfOutage;
    /** How far each read model was last seen applied, at most {@link #REMEMBERED} of them. */
    private final Cache<Progress, Long> seen = Caffeine.newBuilder().maximumSize(REMEMBERED).expireAfterWrite(REMEMBER_FOR).build();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "read-model-waits");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code sequencedByOrganization}: the processors whose sequencing keeps each organization's events on one segment. */
    public ReadModelWaits(JdbcTemplate jdbc, EventProcessingConfiguration processing, Set<String> sequencedByOrganization) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.sequencedByOrganization = Set.copyOf(sequencedByOrganization);
    }

    /**
     * Completes with true once every one of {@code processors} has applied every stored event up to {@code position}
     * (those of {@code organization}, if given, where a processor keeps them on one segment), with false if
     * {@code patience} runs out first. Only progress looked at after this call counts. A reader that no longer needs
     * the answer may complete the future itself.
     */
    public CompletableFuture<Boolean> await(Set<String> processors, String organization, long position, Duration patience) {
        Waiter waiter = new Waiter(Set.copyOf(processors), organization, position, System.nanoTime() + patience.toNanos(), new CompletableFuture<>());
        waiting.add(waiter);
        if (polling.compareAndSet(false, true)) {
            poller.execute(this::poll);
        }
        return waiter.done();
    }

    /**
     * Whether {@code processors} were seen, by an earlier look, to have applied every stored event up to {@code position}
     * (for {@code organization}): then a read at that position need not wait. What is remembered counts every gap below
     * it as not applied (a transaction may still fill it), so it stays true while the read model stands, for
     * {@link #REMEMBER_FOR} at most, and until {@link #forget} when a rebuild swaps the read model; false means only
     * "not known", and the read waits ({@link #await}).
     */
    public boolean seenApplied(Set<String> processors, String organization, long position) {
        for (String processor : processors) {
            Long applied = seen.getIfPresent(new Progress(processor, organization));
            if (applied == null || applied < position) {
                return false;
            }
        }
        return true;
    }

    /** Reads waiting now, given up or not, until the poller next removes them. */
    int waitingReads() {
        return waiting.size();
    }

    /** Forgets what was seen of {@code processor}: its read model was just replaced (a rebuild's swap). */
    public void forget(String processor) {
        seen.asMap().keySet().removeIf(progress -> progress.processor().equals(processor));
    }

    /**
     * How far a processor has applied every event for good: below every gap, stored or not (a transaction still running
     * may fill one with a lower index later), and no further than {@code highest}, above which gaps were not looked at.
     */
    static long appliedForGood(Map<Segment, SegmentProgress> segments, String organization, Set<Long> gapsUpToHighest, long highest) {
        return Math.min(appliedThrough(segments, organization, gapsUpToHighest), highest);
    }

    void remember(String processor, String organization, long applied) {
        if (applied >= 0) {
            seen.asMap().merge(new Progress(processor, organization), applied, Math::max);
        }
    }

    /** A processor's progress, as far as a read of {@code organization} (null: any) needs it. */
    private record Progress(String processor, String organization) {
    }

    private void poll() {
        List<Waiter> round = new ArrayList<>(waiting);
        try {
            if (!round.isEmpty()) {
                Set<String> processors = new HashSet<>();
                long highest = -1;
                for (Waiter waiter : round) {
                    processors.addAll(waiter.processors());
                    highest = Math.max(highest, waiter.position());
                }
                Map<String, Map<Segment, SegmentProgress>> segments = segments(processors);
                Set<Long> allGaps = gapsUpTo(segments, highest);
                Set<Long> storedGaps = stored(allGaps);
                if (warnedOfOutage) {
                    warnedOfOutage = false;
                    log.info("looking at the processors' progress works again");
                }
                long now = System.nanoTime();
                for (Waiter waiter : round) {
                    if (waiter.done().isDone()) {
                        // given up by its reader
                        waiting.remove(waiter);
                        continue;
                    }
                    boolean reached = true;
                    for (String name : waiter.processors()) {
                        Map<Segment, SegmentProgress> progress = segments.getOrDefault(name, Map.of());
                        String organization = organizationOf(name, waiter);
                        reached &= appliedThrough(progress, organization, storedGaps) >= waiter.position();
                        remember(name, waiter.organization(), appliedForGood(progress, organization, allGaps, highest));
                    }
                    if (reached || now - waiter.deadline() >= 0) {
                        waiting.remove(waiter);
                        waiter.done().complete(reached);
                    }
                }
            }
        } catch (RuntimeException failure) {
            // the database may be away for a moment; the waits end by their deadline at the latest. Said at most once a
            // minute: the poller tries again every POLL while reads wait, which would be a hundred lines a second
            long now = System.nanoTime();
            if (lastWarnedNanos == 0 || now - lastWarnedNanos > WARN_AT_MOST_EVERY.toNanos()) {
                lastWarnedNanos = now;
                warnedOfOutage = true;
                log.warn("looking at the processors' progress failed ({}); waiting reads end by their deadline until it works again",
                        failure.getClass().getSimpleName());
            } else {
                log.debug("looking at the processors' progress failed again ({})", failure.getClass().getSimpleName());
            }
            expireOverdue();
        } finally {
            next();
        }
    }

    /** Ends the waits past their deadline, and forgets those their readers gave up (a closed stream's), while no look succeeds. */
    private void expireOverdue() {
        long now = System.nanoTime();
        waiting.removeIf(waiter -> waiter.done().isDone() || now - waiter.deadline() >= 0 && waiter.done().complete(false));
    }

    private void next() {
        if (!waiting.isEmpty()) {
            poller.schedule(this::poll, POLL.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        polling.set(false);
        // a read may have arrived after the last look but before the flag was cleared
        if (!waiting.isEmpty() && polling.compareAndSet(false, true)) {
            poller.execute(this::poll);
        }
    }

    private String organizationOf(String processor, Waiter waiter) {
        return sequencedByOrganization.contains(processor) ? waiter.organization() : null;
    }

    /** The gaps at or below {@code upTo}. */
    private static Set<Long> gapsUpTo(Map<String, Map<Segment, SegmentProgress>> segments, long upTo) {
        Set<Long> gapsBelow = new TreeSet<>();
        segments.values().forEach(bySegment -> bySegment.values().forEach(segment -> gapsBelow.addAll(segment.gaps().headSet(upTo + 1))));
        return gapsBelow;
    }

    /**
     * How far a processor has applied every stored event: its slowest segment's progress, or, for an organization, that
     * of the segment holding the organization's events. A processor no segment of which is known has applied nothing.
     */
    static long appliedThrough(Map<Segment, SegmentProgress> segments, String organization, Set<Long> storedGaps) {
        return segments.entrySet().stream()
                .filter(segment -> organization == null || segment.getKey().matches(organization))
                .mapToLong(segment -> appliedThrough(segment.getValue(), storedGaps)).min().orElse(-1);
    }

    /** Up to its position, except below the first gap whose event is stored by now (the segment has not seen it yet). */
    static long appliedThrough(SegmentProgress segment, Set<Long> storedGaps) {
        for (long gap : segment.gaps()) {
            if (gap > segment.position()) {
                break;
            }
            if (storedGaps.contains(gap)) {
                return gap - 1;
            }
        }
        return segment.position();
    }

    /**
     * Each segment's progress: as recorded with its token, or as this instance's running segment knows it when further;
     * each segment with its mask among the processor's segments.
     */
    private Map<String, Map<Segment, SegmentProgress>> segments(Set<String> processors) {
        Map<String, Map<Integer, SegmentProgress>> segments = new HashMap<>();
        jdbc.query("select processor, segment, position, gaps from read_model.processed_positions where processor = any(?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("text", processors.toArray())),
                row -> {
                    Array gaps = row.getArray("gaps");
                    SortedSet<Long> open = new TreeSet<>();
                    for (Object gap : gaps == null ? new Object[0] : (Object[]) gaps.getArray()) {
                        open.add(((Number) gap).longValue());
                    }
                    segments.computeIfAbsent(row.getString("processor"), name -> new HashMap<>())
                            .put(row.getInt("segment"), new SegmentProgress(row.getLong("position"), open));
                });
        for (String name : processors) {
            processing.eventProcessor(name, StreamingEventProcessor.class).ifPresent(processor ->
                    processor.processingStatus().forEach((segment, status) -> {
                        SegmentProgress running = progress(status);
                        if (running != null) {
                            segments.computeIfAbsent(name, n -> new HashMap<>()).merge(segment, running,
                                    (recorded, current) -> current.position() >= recorded.position() ? current : recorded);
                        }
                    }));
        }
        Map<String, Map<Segment, SegmentProgress>> masked = new HashMap<>();
        segments.forEach((name, bySegment) -> {
            int[] ids = bySegment.keySet().stream().mapToInt(Integer::intValue).toArray();
            Map<Segment, SegmentProgress> withMasks = new HashMap<>();
            bySegment.forEach((id, progress) -> withMasks.put(Segment.computeSegment(id, ids), progress));
            masked.put(name, withMasks);
        });
        return masked;
    }

    private static SegmentProgress progress(EventTrackerStatus status) {
        TrackingToken token = status.getTrackingToken() == null ? null : WrappedToken.unwrapLowerBound(status.getTrackingToken());
        if (token instanceof GapAwareTrackingToken gapAware) {
            return new SegmentProgress(gapAware.getIndex(), new TreeSet<>(gapAware.getGaps()));
        }
        return token == null ? null : new SegmentProgress(token.position().orElse(-1), new TreeSet<>());
    }

    /** Which of these global indexes are stored events now. */
    private Set<Long> stored(Collection<Long> indexes) {
        if (indexes.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.query("select global_index from events.domain_event_entry where global_index = any(?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("bigint", indexes.toArray())),
                (row, number) -> row.getLong(1)));
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
        waiting.forEach(waiter -> waiter.done().complete(false));
        waiting.clear();
    }
}
