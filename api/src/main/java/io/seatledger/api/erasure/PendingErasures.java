package io.seatledger.api.erasure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Finishes erasures that were answered {@code pending}: whether the read models were late or the instance stopped
 * half-way, each is done within a minute or so without anyone sending it again. Every step is safe to run twice, so
 * two instances finishing the same erasure do no harm.
 */
@Component
public class PendingErasures {

    /** An erasure younger than this is probably still being worked on by the request that made it. */
    static final Duration GRACE = Duration.ofMinutes(1);
    private static final int PER_RUN = 20;
    private static final Logger log = LoggerFactory.getLogger(PendingErasures.class);

    private final Erasures erasures;

    public PendingErasures(Erasures erasures) {
        this.erasures = erasures;
    }

    /** Run every {@code seatledger.erasure.pending-check-interval}. */
    public void finish() {
        try {
            int done = erasures.finishPending(GRACE, PER_RUN);
            if (done > 0) {
                log.info("{} pending erasures finished", done);
            }
        } catch (RuntimeException failure) {
            log.warn("pending erasures could not be finished now; next try in a minute", failure);
        }
    }
}
