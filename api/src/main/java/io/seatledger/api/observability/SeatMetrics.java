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
 * pools in service of all organizations (not per tenant: unbounded). Read from the usage read model every
 * {@link #REFRESH}, never on the scrape itself.
 */
@Component
public class SeatMetrics implements MeterBinder, SmartLifecycle {

    static final Duration REFRESH = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(SeatMetrics.class);

    private final JdbcTemplate jdbc;
    private final TaskScheduler scheduler;
    private final AtomicReference<Map<String, Object>> totals = new AtomicReference<>(Map.of("capacity", 0L, "in_use", 0L));
    private volatile ScheduledFuture<?> refreshing;

    public SeatMetrics(JdbcTemplate jdbc, TaskScheduler scheduler) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("seatledger.seats.capacity", totals, t -> ((Number) t.get().get("capacity")).doubleValue())
                .description("Seats bought in the pools in service, all organizations").baseUnit("seats").register(registry);
        Gauge.builder("seatledger.seats.in_use", totals, t -> ((Number) t.get().get("in_use")).doubleValue())
                .description("Pending and claimed seats in the pools in service, all organizations").baseUnit("seats").register(registry);
    }

    void refresh() {
        try {
            totals.set(jdbc.queryForMap("select coalesce(sum(capacity), 0) as capacity, coalesce(sum(pending + claimed), 0) as in_use from read_model.org_usage"));
        } catch (RuntimeException e) {
            log.warn("seat totals not refreshed ({})", e.getClass().getSimpleName());
        }
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
