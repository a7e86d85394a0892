package io.seatledger.api.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process_resident_memory_bytes}: the process's resident set (heap, metaspace, thread stacks, Netty's
 * direct buffers, the JIT's code), which the JVM's own meters do not add up. Read from Linux's
 * {@code /proc/self/status} on each scrape; not registered elsewhere.
 */
@Component
public class ResidentMemoryMetrics implements MeterBinder {

    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        if (Files.isReadable(STATUS)) {
            Gauge.builder("process.resident.memory", ResidentMemoryMetrics::residentBytes)
                    .description("Resident set size of this process").baseUnit("bytes").register(registry);
        }
    }

    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
