package io.seatledger.api.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The build's class-data training run ({@code seatledger.startup.training-run=true}, see {@code api/pom.xml}): the
 * service starts as it always does, asks its own health check once it accepts traffic, so that the first request's
 * classes are loaded too, then shuts down the normal way and exits: 0 when the check answered 200 within the
 * patience, else 1, which fails the build. The JVM then writes the classes it loaded to the archive that the
 * README's run command starts with ({@code -XX:ArchiveClassesAtExit}, {@code -XX:SharedArchiveFile}). A normal
 * shutdown matters: Spring's own {@code spring.context.exit=onRefresh} halts the JVM, which leaves the embedded
 * PostgreSQL and Redis running.
 */
@Component
@ConditionalOnBooleanProperty("seatledger.startup.training-run")
class TrainingRun implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    /** How long the health check may take to answer 200. */
    private final Duration patience;

    TrainingRun(@Value("${seatledger.startup.training-run-patience:60s}") Duration patience) {
        this.patience = patience;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC) {
            return;
        }
        ConfigurableApplicationContext context = (ConfigurableApplicationContext) event.getSource();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        // on a thread of its own: the start completes first, and the new readiness is recorded by then
        Thread shutdown = new Thread(() -> {
            int exitCode = 1;
            try {
                boolean healthy = becameHealthy(port);
                exitCode = Math.max(healthy ? 0 : 1, SpringApplication.exit(context));
            } catch (Throwable failure) {
                log.error("training run: failed", failure);
            } finally {
                System.exit(exitCode);
            }
        }, "training-run");
        shutdown.start();
    }

    private boolean becameHealthy(int port) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + patience.toNanos();
        String last = "no answer";
        try {
            while (true) {
                try {
                    HttpResponse<String> health = http.send(request, HttpResponse.BodyHandlers.ofString());
                    last = health.statusCode() + " " + health.body();
                    if (health.statusCode() == 200) {
                        log.info("training run: the health check answered {}; shutting down", last);
                        return true;
                    }
                } catch (IOException e) {
                    last = e.toString();
                }
                if (System.nanoTime() - deadline > 0) {
                    log.error("training run: the health check did not answer 200 within {} (last: {}); shutting down", patience, last);
                    return false;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
