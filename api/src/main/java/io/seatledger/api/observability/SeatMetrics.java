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
 * {@code seatledger_seats_capacity_seats}, {@code seatledger_seats_in_use_seats} (pending + claimed),
 * {@code seatledger_seats_pending_seats}, {@code seatledger_seats_claimed_seats} and {@code seatledger_seats_utilization}
 * (in use / capacity), summed over the pools in service of all organizations (not per tenant:
 * unbounded). Read from the usage read model every {@link #REFRESH}, never on the scrape itself.
 */
@Component
public class SeatMetrics implements MeterBinder, SmartLifecycle {

    static final Duration REFRESH = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(SeatMetrics.class);

    private final JdbcTemplate jdbc;
    private final TaskScheduler scheduler;
    private final AtomicReference<Map<String, Object>> totals = new AtomicReference<>(Map.of("capacity", 0L, "pending", 0L, "claimed", 0L));
    private volatile ScheduledFuture<?> refreshing;

    public SeatMetrics(JdbcTemplate jdbc, TaskScheduler scheduler) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("seatledger.seats.capacity", totals, t -> total("capacity"))
                .description("Seats bought in the pools in service, all organizations").baseUnit("seats").register(registry);
        Gauge.builder("seatledger.seats.in_use", totals, t -> total("pending") + total("claimed"))
                .description("Pending and claimed seats in the pools in service, all organizations").baseUnit("seats").register(registry);
        Gauge.builder("seatledger.seats.pending", totals, t -> total("pending"))
                .description("Seats assigned but not yet claimed in the pools in service, all organizations").baseUnit("seats").register(registry);
        Gauge.builder("seatledger.seats.claimed", totals, t -> total("claimed"))
                .description("Claimed seats (holders entitled) in the pools in service, all organizations").baseUnit("seats").register(registry);
        Gauge.builder("seatledger.seats.utilization", totals, t -> total("capacity") == 0 ? 0 : (total("pending") + total("claimed")) / total("capacity"))
                .description("Seats in use per seat bought in the pools in service, all organizations (above 1 when a provider forced a decrease)")
                .register(registry);
    }

    private double total(String column) {
        return ((Number) totals.get().get(column)).doubleValue();
    }

    void refresh() {
        try {
            totals.set(jdbc.queryForMap("select coalesce(sum(capacity), 0) as capacity, coalesce(sum(pending), 0) as pending,"
                    + " coalesce(sum(claimed), 0) as claimed from read_model.org_usage"));
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
