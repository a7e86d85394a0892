package io.seatledger.api.axon;

import org.springframework.context.SmartLifecycle;

/**
 * Something that starts with the application once Axon is up (its handlers registered, its processors
 * running) and stops before Axon does, so nothing it triggers reaches a stopping application.
 */
public class StartedAfterAxon implements SmartLifecycle {

    private final Runnable start;
    private final Runnable stop;
    private volatile boolean running;

    public StartedAfterAxon(Runnable start, Runnable stop) {
        this.start = start;
        this.stop = stop;
    }

    @Override
    public void start() {
        start.run();
        running = true;
    }

    @Override
    public void stop() {
        stop.run();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
