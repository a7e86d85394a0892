package io.seatledger.query.feed;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import java.time.Duration;

/**
 * Wake-ups for live feeds: one connection per instance LISTENs on {@value #CHANNEL}, where PostgreSQL
 * announces, at commit, the organizations whose feed grew (triggers on the pool changes and the audit trail).
 * A notification only says "look again"; what is delivered is always read from the tables, so a missed
 * notification (while reconnecting) delays a message, never loses it: feeds also look again periodically.
 */
@Component
public class ChangeNotifications implements SmartLifecycle {

    public static final String CHANNEL = "seatledger_changes";
    private static final Logger log = LoggerFactory.getLogger(ChangeNotifications.class);

    private final ConnectionFactory connections;
    private final Sinks.Many<String> organizations = Sinks.many().multicast().directBestEffort();
    private volatile Disposable listening;

    public ChangeNotifications(ConnectionFactory connections) {
        this.connections = connections;
    }

    /** Organization ids, one per committed change (or several changes); hot, for as long as the instance runs. */
    public Flux<String> organizations() {
        return organizations.asFlux();
    }

    @Override
    public void start() {
        listening = Mono.usingWhen(Mono.from(connections.create()), this::listen, Connection::close)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .doBeforeRetry(signal -> log.warn("listening for feed changes failed ({}); reconnecting",
                                signal.failure().getClass().getSimpleName())))
                .repeat()
                .subscribe();
    }

    private Mono<Void> listen(Connection pooled) {
        Object unwrapped = pooled;
        while (!(unwrapped instanceof PostgresqlConnection) && unwrapped instanceof Wrapped<?> wrapped && wrapped.unwrap() != unwrapped) {
            unwrapped = wrapped.unwrap();
        }
        if (!(unwrapped instanceof PostgresqlConnection connection)) {
            return Mono.error(new IllegalStateException("live feeds need PostgreSQL's LISTEN/NOTIFY, not " + unwrapped.getClass().getName()));
        }
        return connection.createStatement("LISTEN " + CHANNEL).execute()
                .flatMap(result -> result.getRowsUpdated()).then()
                .thenMany(connection.getNotifications())
                .doOnNext(notification -> organizations.tryEmitNext(notification.getParameter()))
                .then();
    }

    @Override
    public void stop() {
        Disposable running = listening;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = listening;
        return running != null && !running.isDisposed();
    }
}
