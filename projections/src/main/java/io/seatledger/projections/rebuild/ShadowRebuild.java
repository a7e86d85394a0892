package io.seatledger.projections.rebuild;

import io.seatledger.projections.positions.ReadModelWaits;
import io.seatledger.projections.MaintenanceTimeouts;
import io.seatledger.projections.ReadModelSchema;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import io.seatledger.projections.positions.GlobalIndexes;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Rebuilds a projection from the first event while the live one keeps answering: a second processor
 * ({@code <name>.rebuild}) replays every event into shadow tables ({@code <schema>_rebuild}); once it has caught
 * up, the live processor pauses, and one transaction replaces the live tables' rows with the shadow's and hands
 * the rebuild's tokens to the live processor, which resumes from there. Readers see the old rows until that
 * transaction commits, then the new ones: never an empty or half-built model. Progress is in
 * {@link #progress} and in {@code read_model.processed_positions} under the rebuild's name. The shadow tables
 * are created, swapped in and dropped by the tables' owner's procedures ({@code read_model.*_shadow_table}):
 * the service's database role may neither create tables nor remove audit entries itself.
 */
public class ShadowRebuild {

    public static final String SUFFIX = ".rebuild";

    private static final Duration TOKEN_STORE_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(ShadowRebuild.class);

    private final Map<String, RebuildableProjection> projections;
    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    private final TokenStore tokens;
    private final TransactionManager axonTransactions;
    private final TransactionTemplate swapTransaction;
    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final MaintenanceTimeouts maintenance;
    private final Clock clock;
    private final ReadModelWaits waits;
    private final int batchSize;
    private final Map<String, RebuildProgress> progress = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "projection-rebuild"));

    public ShadowRebuild(List<RebuildableProjection> projections, StreamableMessageSource<TrackedEventMessage<?>> events, TokenStore tokens,
                         TransactionManager axonTransactions, PlatformTransactionManager transactions, EventProcessingConfiguration processing,
                         JdbcTemplate jdbc, MaintenanceTimeouts maintenance, Clock clock, ReadModelWaits waits,
                         int batchSize) {
        this.projections = projections.stream().collect(java.util.stream.Collectors.toMap(RebuildableProjection::processor, p -> p));
        this.events = events;
        this.tokens = tokens;
        this.axonTransactions = axonTransactions;
        this.swapTransaction = new TransactionTemplate(transactions);
        this.processing = processing;
        this.jdbc = jdbc;
        this.maintenance = maintenance;
        this.clock = clock;
        this.waits = waits;
        this.batchSize = batchSize;
    }

    /** Starts rebuilding {@code processor} in the background; false if it is not rebuildable or already rebuilding. */
    public synchronized boolean start(String processor) {
        RebuildableProjection projection = projections.get(processor);
        if (projection == null || running(processor)) {
            return false;
        }
        Instant startedAt = clock.instant();
        progress.put(processor, new RebuildProgress(processor, RebuildProgress.Phase.BUILDING, -1, head(), startedAt, null, null));
        runner.submit(() -> run(projection, startedAt));
        return true;
    }

    /** The processors whose read models can be rebuilt this way. */
    public java.util.Set<String> rebuildable() {
        return java.util.Set.copyOf(projections.keySet());
    }

    public Optional<RebuildProgress> progress(String processor) {
        return Optional.ofNullable(progress.get(processor));
    }

    /** Whether {@code processor}'s read model is being rebuilt or swapped in now. */
    public boolean running(String processor) {
        return progress(processor).map(RebuildProgress::running).orElse(false);
    }

    private void run(RebuildableProjection projection, Instant startedAt) {
        String name = projection.processor();
        String rebuildName = name + SUFFIX;
        String shadow = ReadModelSchema.shadowOf(projection.schema());
        ScheduledExecutorService coordinator = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "Coordinator[" + rebuildName + "]"));
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(2, r -> new Thread(r, "WorkPackage[" + rebuildName + "]"));
        PooledStreamingEventProcessor rebuild = null;
        try {
            createShadowTables(projection);
            rebuild = rebuildProcessor(projection, shadow, coordinator, workers);
            rebuild.start();
            awaitCaughtUp(rebuild, projection, startedAt);
            long built = position(rebuild);
            awaitTokensStored(rebuildName, built);
            progress.put(name, new RebuildProgress(name, RebuildProgress.Phase.SWAPPING, built, head(), startedAt, null, null));
            StreamingEventProcessor live = processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
            live.shutDown();
            built = Math.max(built, position(rebuild));
            rebuild.shutDown();
            try {
                swap(projection);
                // positions seen applied to the replaced tables are not those of the swapped-in ones
                waits.forget(name);
            } finally {
                live.start();
            }
            dropShadowTables(projection);
            progress.put(name, new RebuildProgress(name, RebuildProgress.Phase.DONE, built, head(), startedAt, clock.instant(), null));
            log.info("projection {} rebuilt from the first event and swapped in", name);
        } catch (Exception failure) {
            log.error("rebuilding projection {} failed; the live read model is unchanged", name, failure);
            progress.put(name, new RebuildProgress(name, RebuildProgress.Phase.FAILED, -1, head(), startedAt, clock.instant(),
                    failure.getClass().getSimpleName()));
        } finally {
            if (rebuild != null && rebuild.isRunning()) {
                rebuild.shutDown();
            }
            coordinator.shutdownNow();
            workers.shutdownNow();
        }
    }

    private void createShadowTables(RebuildableProjection projection) {
        for (String table : projection.tables()) {
            jdbc.update("call read_model.create_shadow_table(?, ?)", projection.schema(), table);
        }
        String rebuildName = projection.processor() + SUFFIX;
        jdbc.update("delete from axon.token_entry where processor_name = ?", rebuildName);
        jdbc.update("delete from read_model.processed_positions where processor = ?", rebuildName);
    }

    private PooledStreamingEventProcessor rebuildProcessor(RebuildableProjection projection, String shadow,
                                                           ScheduledExecutorService coordinator, ScheduledExecutorService workers) {
        String rebuildName = projection.processor() + SUFFIX;
        int segments = Math.max(1, tokens.fetchSegments(projection.processor()).length);
        return PooledStreamingEventProcessor.builder()
                .name(rebuildName)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers(projection.writingSchema().apply(shadow))
                        .sequencingPolicy(projection.sequencing())
                        .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                        .build())
                .messageSource(new GlobalIndexes(events, GlobalIndexes.storedIn(jdbc)))
                .tokenStore(tokens)
                .transactionManager(axonTransactions)
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(segments)
                .maxClaimedSegments(segments)
                .batchSize(batchSize)
                // Segments with nothing of their own to apply store their token this often: the tokens handed
                // to the live processor must be as far as the rebuild got, or it would read the stream again.
                .claimExtensionThreshold(TOKEN_STORE_INTERVAL.toMillis())
                .initialToken(StreamableMessageSource::createTailToken)
                .build();
    }

    private void awaitCaughtUp(PooledStreamingEventProcessor rebuild, RebuildableProjection projection, Instant startedAt) throws InterruptedException {
        String name = projection.processor();
        while (true) {
            long head = head();
            long position = position(rebuild);
            progress.put(name, new RebuildProgress(name, RebuildProgress.Phase.BUILDING, position, head, startedAt, null, null));
            Map<Integer, EventTrackerStatus> status = rebuild.processingStatus();
            if (status.values().stream().anyMatch(EventTrackerStatus::isErrorState)) {
                throw new IllegalStateException("the rebuild processor failed: " + status.values().stream()
                        .filter(EventTrackerStatus::isErrorState).findFirst().map(EventTrackerStatus::getError).orElse(null));
            }
            if (!status.isEmpty() && status.values().stream().allMatch(EventTrackerStatus::isCaughtUp) && position >= head) {
                return;
            }
            Thread.sleep(Duration.ofMillis(200).toMillis());
        }
    }

    /** Waits until every segment's stored token (recorded in processed_positions) has reached {@code position}. */
    private void awaitTokensStored(String rebuildName, long position) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Long stored = jdbc.queryForObject("select min(position) from read_model.processed_positions where processor = ?", Long.class, rebuildName);
            if (stored != null && stored >= position) {
                return;
            }
            Thread.sleep(TOKEN_STORE_INTERVAL.toMillis());
        }
        throw new IllegalStateException("the rebuild's tokens were not stored up to position " + position);
    }

    /**
     * Replaces the live rows with the rebuilt ones and hands over the tokens, in one transaction; copying a whole
     * read model may take longer than the service's statement timeout allows.
     */
    private void swap(RebuildableProjection projection) {
        String live = projection.processor();
        String rebuildName = live + SUFFIX;
        swapTransaction.executeWithoutResult(status -> {
            maintenance.liftForThisTransaction();
            // Other instances' workers for this processor wait here, then find their claims gone.
            jdbc.queryForList("select segment from axon.token_entry where processor_name = ? for update", live);
            for (String table : projection.tables()) {
                jdbc.update("call read_model.swap_in_shadow_table(?, ?)", projection.schema(), table);
            }
            jdbc.update("delete from axon.token_entry where processor_name = ?", live);
            jdbc.update("update axon.token_entry set processor_name = ?, owner = null where processor_name = ?", live, rebuildName);
            jdbc.update("delete from read_model.processed_positions where processor = ?", live);
            jdbc.update("update read_model.processed_positions set processor = ? where processor = ?", live, rebuildName);
        });
    }

    private void dropShadowTables(RebuildableProjection projection) {
        for (String table : projection.tables()) {
            jdbc.update("call read_model.drop_shadow_table(?, ?)", projection.schema(), table);
        }
    }

    private static long position(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .mapToLong(status -> status.getCurrentPosition().orElse(-1))
                .min().orElse(-1);
    }

    private long head() {
        org.axonframework.eventhandling.TrackingToken head = events.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }
}
