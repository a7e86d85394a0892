package io.seatledger.api.http;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Whole bodies as bytes, their buffers released. */
public final class Bodies {

    private Bodies() {
    }

    /** A request body, refusing more than the configured limit (413 through {@link ApiExceptionHandler}). */
    public static Mono<byte[]> read(ServerHttpRequest request, long maxBytes) {
        return bytes(DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBytes)));
    }

    /** A body being written, e.g. a response's. */
    public static Mono<byte[]> join(Publisher<? extends DataBuffer> content) {
        return bytes(DataBufferUtils.join(Flux.from(content)));
    }

    private static Mono<byte[]> bytes(Mono<DataBuffer> joined) {
        return joined.map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0]);
    }
}
