package io.seatledger.api.faults;

import io.seatledger.api.embedded.EmbeddedServers;
import io.seatledger.api.security.DevTokens;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.query.audit.AuditVerifier;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fault injected into the shared service and its real embedded stores while {@link TenantLoad} runs, then the
 * contract checked: no acknowledged write lost, no pool over-assigned, every copy equal to a recount from the
 * events, and no answer but 2xx-4xx or 503 with {@code Retry-After}. Each test prints one line of figures for
 * docs/benchmarks.md.
 */
abstract class FaultTest extends IntegrationTest {

    static final int TENANTS = 4;
    static final int SEATS = 40;

    @Value("${local.server.port}") int port;
    @Value("${seatledger.data-dir}") Path dataDirectory;
    @Autowired DevTokens tokens;
    @Autowired EventStore events;
    @Autowired JdbcTemplate jdbc;
    @Autowired StringRedisTemplate redis;
    @Autowired AuditVerifier audit;
    @Autowired EventProcessingConfiguration processing;

    EmbeddedServers servers;
    Recount recount;

    @BeforeEach
    void stores() {
        servers = EmbeddedServers.running(dataDirectory).orElseThrow();
        recount = new Recount(events, jdbc, redis, audit, this::processorStates);
    }

    /** Each processor's segments (position, caught up, in error) and what their threads are doing. */
    private String processorStates() {
        StringBuilder states = new StringBuilder();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                states.append('\n').append(name).append(streaming.isError() ? " (in error)" : "").append(": ");
                streaming.processingStatus().forEach((segment, status) -> states.append(segment).append('=')
                        .append(status.getCurrentPosition().orElse(-1L)).append(status.isCaughtUp() ? " caught up" : "")
                        .append(status.isErrorState() ? " error " + status.getError() : "").append("; "));
            }
        });
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains("]-")) {
                states.append('\n').append(thread.getName()).append(' ').append(thread.getState());
                for (int i = 0; i < Math.min(stack.length, 12); i++) {
                    states.append("\n    at ").append(stack[i]);
                }
            }
        });
        return states.toString();
    }

    /** Lets the load run for this long. */
    static void loadFor(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits (while the load goes on) for the first write acknowledged in {@code phase}; seconds from {@code since} (System.nanoTime). */
    static double awaitFirstWrite(TenantLoad load, String phase, long since, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> load.firstAcknowledgedWriteIn(phase).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException none) {
            throw new AssertionError("no write acknowledged within " + atMost + " in phase " + phase + "\n" + load.summary());
        }
        return Math.max(0, load.firstAcknowledgedWriteIn(phase).getAsLong() - since) / 1e9;
    }

    /**
     * The contract after a fault: the answers (503 only for requests under way in one of {@code unavailablePhases}: asked or answered
     * in one, or asked before and answered after it, as a read waiting for its position across the whole outage), no acknowledged write
     * lost, no pool over-assigned; prints the figures line.
     */
    Recount.Tally assertContract(String fault, TenantLoad load, Set<String> unavailablePhases, double recoverySeconds, Duration catchUp) {
        Recount.Tally tally = recount.tally(load.tenants());
        System.out.printf("%nFAULT-FIGURES | %s | %d tenants, %d answers | %d / %d | %d | %.1f (copies agreed %.1f s after the load stopped) |%n%s%n",
                fault, load.tenants().size(), load.answers().size(), tally.acknowledged(), tally.lost(), tally.overAssigned(), recoverySeconds,
                catchUp.toMillis() / 1e3, load.summary());
        assertThat(load.unacceptable()).as("answers other than 2xx-4xx or 503 with Retry-After, no answer, or a wrong entitlement").isEmpty();
        assertThat(load.answers()).as("503 only for requests under way while a store was down").filteredOn(answer -> answer.status() == 503)
                .allSatisfy(answer -> assertThat(load.phasesSpanned(answer)).containsAnyElementsOf(unavailablePhases));
        assertThat(tally.lostWrites()).as("acknowledged writes missing from the event store").isEmpty();
        assertThat(tally.overAssigned()).as("seats in use beyond a pool's capacity").isZero();
        assertThat(load.firstAcknowledgedWriteIn("before")).as("the load wrote before the fault").isPresent();
        return tally;
    }
}
