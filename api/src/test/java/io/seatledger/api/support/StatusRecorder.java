package io.seatledger.api.support;

import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes down the method, path and status of every answer the tests' HTTP clients ({@link Api}) receive, one line
 * each, to {@value #DIRECTORY}/&lt;process&gt;.tsv. OpenApiStatusCoverageCheck reads them after the whole suite has run,
 * whatever the order of its classes, to find documented statuses no test produces.
 */
public final class StatusRecorder {

    public static final String DIRECTORY = "target/http-statuses";

    static final ExchangeFilterFunction FILTER = (request, next) -> next.exchange(request)
            .doOnNext(response -> record(request.method().name(), request.url().getRawPath(), response.statusCode().value()));

    private static final Path FILE = Path.of(DIRECTORY, ManagementFactory.getRuntimeMXBean().getPid() + ".tsv");

    private StatusRecorder() {
    }

    static synchronized void record(String method, String path, int status) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, method + "\t" + path + "\t" + status + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
