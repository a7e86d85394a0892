package io.seatledger.api.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code seatledger_seats_capacity} and {@code seatledger_seats_in_use} (pending + claimed), summed over the
 * pools in service of all organizations (not per tenant: unbounded), and {@code seatledger_dead_letters} per
 * processing group (events a projection parked). Read from PostgreSQL every {@link #REFRESH}, never on the
 * scrape itself.
 */
@Component
public class SeatMetrics implements MeterBinder, SmartLifecycle {

    static final Duration REFRESH = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(SeatMetrics.class);

    private final JdbcTemplate jdbc;
    private final TaskScheduler scheduler;
    private final AtomicReference<Map<String, Object>> totals = new AtomicReference<>(Map.of("capacity", 0L, "in_use", 0L));
    private final Map<String, java.util.concurrent.atomic.AtomicLong> deadLetters = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile ScheduledFuture<?> refreshing;

    public SeatMetrics(JdbcTemplate jdbc, TaskScheduler scheduler) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("seatledger.seats.capacity", totals, t -> ((Number) t.get().get("capacity")).doubleValue())
                .description("Seats bought in the pools in service, all organizations").baseUnit("seats").register(registry);
        Gauge.builder("seatledger.seats.in_use", totals, t -> ((Number) t.get().get("in_use")).doubleValue())
                .description("Pending and claimed seats in the pools in service, all organizations").baseUnit("seats").register(registry);
    }

    void refresh() {
        try {
            totals.set(jdbc.queryForMap("select coalesce(sum(capacity), 0) as capacity, coalesce(sum(pending + claimed), 0) as in_use from read_model.org_usage"));
            Map<String, Long> parked = new java.util.HashMap<>();
            jdbc.query("select processing_group, count(*) from axon.dead_letter_entry group by processing_group",
                    row -> { parked.put(row.getString(1), row.getLong(2)); });
            deadLetters.keySet().forEach(group -> parked.putIfAbsent(group, 0L));
            parked.forEach((group, count) -> deadLetters.computeIfAbsent(group, this::deadLetterGauge).set(count));
        } catch (RuntimeException e) {
            log.warn("seat totals not refreshed ({})", e.getClass().getSimpleName());
        }
    }

    private java.util.concurrent.atomic.AtomicLong deadLetterGauge(String group) {
        java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        if (registry != null) {
            Gauge.builder("seatledger.dead.letters", count, java.util.concurrent.atomic.AtomicLong::get)
                    .description("Events parked in a projection's dead-letter queue").tag("processing_group", group).register(registry);
        }
        return count;
    }

    @Override
    public void start() {
        refreshing = scheduler.scheduleWithFixedDelay(this::refresh, REFRESH);
    }

    @Override
    public void stop() {
        if (refreshing != null) {
            refreshing.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return refreshing != null && !refreshing.isCancelled();
    }
}
