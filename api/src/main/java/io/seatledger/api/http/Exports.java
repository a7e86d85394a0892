package io.seatledger.api.http;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Listings served as NDJSON or CSV besides JSON, chosen by {@code Accept} (the audit trail, charges): one writer of raw
 * bytes for every representation (text/csv has no encoder of its own), streamed line by line as the client takes them.
 */
public final class Exports {

    public static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    public static final MediaType CSV = MediaType.parseMediaType("text/csv");

    private Exports() {
    }

    /** Whether the client prefers this type over JSON (a bare wildcard asks for JSON). */
    public static boolean asks(List<MediaType> accepted, MediaType type) {
        return accepted.stream().anyMatch(media -> !media.isWildcardType() && media.isCompatibleWith(type)
                && !media.isCompatibleWith(MediaType.APPLICATION_JSON));
    }

    /** {@code lines} as the body of a {@code type} answer, never cached. */
    public static ResponseEntity<Flux<DataBuffer>> stream(MediaType type, Flux<String> lines) {
        Flux<DataBuffer> bytes = lines.map(line -> DefaultDataBufferFactory.sharedInstance.wrap(line.getBytes(StandardCharsets.UTF_8)));
        return ResponseEntity.ok().contentType(type).header(HttpHeaders.CACHE_CONTROL, "no-store").body(bytes);
    }

    /**
     * CSV rows under their header, in UTF-8. The header rides on the first row, so that an export refused before its
     * first row answers with a problem, not a header.
     */
    public static ResponseEntity<Flux<DataBuffer>> csv(String header, Flux<String> rows) {
        return stream(new MediaType(CSV, StandardCharsets.UTF_8), rows.index((index, row) -> index == 0 ? header + row : row).defaultIfEmpty(header));
    }
}
