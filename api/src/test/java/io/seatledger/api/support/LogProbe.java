package io.seatledger.api.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Routes of the test context only: one logs a line from a worker thread while a request is served; one fails
 * (a bug of ours, answered 500 and logged) under an invitation's path, whose token must not reach the log.
 */
@RestController
public class LogProbe {

    public static final String PATH = "/api/v1/test/log-probe";
    public static final String FAILING_INVITATION_PATH = "/api/v1/invitations/{token}/test-failure";
    public static final Logger LOG = LoggerFactory.getLogger("seatledger.test.log-probe");

    @GetMapping(PATH)
    public Mono<String> probe() {
        return Mono.fromCallable(() -> {
            LOG.info("probing the log context");
            return "logged";
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping(FAILING_INVITATION_PATH)
    public Mono<String> fail() {
        return Mono.error(new IllegalStateException("a bug of ours"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {
        @Bean
        LogProbe logProbe() {
            return new LogProbe();
        }
    }
}
