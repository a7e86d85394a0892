package io.seatledger.api.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * service starts as it always does, answers its own health check once it accepts traffic, so that the first
 * request's classes are loaded too, then shuts down the normal way; it exits with 1 unless the check answered 200. The JVM writes the classes it loaded to the archive that the README's
 * run command starts with ({@code -XX:ArchiveClassesAtExit}, {@code -XX:SharedArchiveFile}). A normal shutdown matters:
 * Spring's own {@code spring.context.exit=onRefresh} halts the JVM, which leaves the embedded PostgreSQL and Redis
 * running after the build.
 */
@Component
@ConditionalOnBooleanProperty("seatledger.startup.training-run")
class TrainingRun implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    /** How long the training run waits for its health check to answer 200. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC) {
            return;
        }
        ConfigurableApplicationContext context = (ConfigurableApplicationContext) event.getSource();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        // on a thread of its own: the start completes first, and the new readiness is recorded by then
        Thread shutdown = new Thread(() -> {
            int exitCode = becameHealthy(port) ? 0 : 1;
            System.exit(Math.max(exitCode, SpringApplication.exit(context)));
        }, "training-run");
        shutdown.start();
    }

    private static boolean becameHealthy(int port) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try {
            while (true) {
                HttpResponse<String> health = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 || System.nanoTime() - deadline > 0) {
                    log.info("training run: the health check answered {} {}; shutting down", health.statusCode(), health.body());
                    return health.statusCode() == 200;
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            log.error("training run: the health check could not be asked: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
