package io.seatledger.api.http;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/** Reads a whole request body, refusing more than the configured limit (413 through {@link ApiExceptionHandler}). */
public final class RequestBodies {

    private RequestBodies() {
    }

    public static Mono<byte[]> read(ServerHttpRequest request, long maxBytes) {
        return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBytes))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0]);
    }
}
