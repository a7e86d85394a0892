package io.seatledger.api.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.List;

/**
 * The spans the service records (sampled ones only, as an OTLP exporter would get them), kept in memory as each
 * ends. Not an exporter bean: the exporter Boot would batch behind it is left without one, as in production.
 */
public final class Spans {

    private static final InMemorySpanExporter RECORDED = InMemorySpanExporter.create();

    private Spans() {
    }

    /** The recorded spans of one trace. */
    public static List<SpanData> of(String traceId) {
        return RECORDED.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {
        @Bean
        SpanProcessor recordedSpans() {
            return SimpleSpanProcessor.create(RECORDED);
        }
    }
}
