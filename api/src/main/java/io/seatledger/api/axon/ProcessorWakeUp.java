package io.seatledger.api.axon;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import io.seatledger.projections.positions.EventSourceDecorator;
import org.axonframework.messaging.StreamableMessageSource;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The event source of the pooled processors, waking them as soon as events are committed in this JVM.
 * Axon's embedded event store gives pooled processors no "events available" callback, so an idle
 * processor polls every 500 ms: up to half a second before a read model, a counter or an SSE stream sees a
 * change. Here each stream accepts the callback and {@link #eventsCommitted()} fires it shortly after a commit:
 * at most once per {@value #COALESCE_MILLIS} ms, so a stream of commands wakes the processors a few dozen times a
 * second rather than once per command (each wake-up is a transaction per processor, competing with the commands).
 * Events appended by other instances are still found by the processors' regular polling.
 */
public final class ProcessorWakeUp extends EventSourceDecorator {

    /** How long a woken stream waits for the store to fetch the events just committed. */
    private static final int FETCH_WAIT_MILLIS = 100;
    private static final int COALESCE_MILLIS = 20;

    private final Set<WakingStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakeUpScheduled = new AtomicBoolean();
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "processor-wake-up");
        thread.setDaemon(true);
        return thread;
    });

    public ProcessorWakeUp(StreamableMessageSource<TrackedEventMessage<?>> events) {
        super(events);
    }

    /** Called after a unit of work that appended events has committed. */
    public void eventsCommitted() {
        if (wakeUpScheduled.compareAndSet(false, true)) {
            waker.schedule(() -> {
                wakeUpScheduled.set(false);
                streams.forEach(WakingStream::wake);
            }, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        WakingStream stream = new WakingStream(events.openStream(trackingToken));
        streams.add(stream);
        return stream;
    }

    private final class WakingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        private volatile Runnable onAvailable = () -> { };
        private volatile boolean woken;

        WakingStream(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        void wake() {
            woken = true;
            onAvailable.run();
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            onAvailable = callback;
            return true;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            // Just woken: the store may still be fetching what was committed, so wait for it briefly.
            if (timeout == 0 && woken) {
                woken = false;
                return stream.hasNextAvailable(FETCH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            streams.remove(this);
            stream.close();
        }
    }
}
