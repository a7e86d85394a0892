package io.seatledger.api.embedded;

import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import javax.sql.DataSource;
import java.util.List;

/**
 * Holds back the creation of every bean that connects to PostgreSQL or Redis (JDBC data sources, Flyway's among
 * them, R2DBC and Redis connection factories) until the embedded servers, which start while the context is built,
 * accept connections; if they could not start, that bean and so the context fail with the reason.
 */
final class ConnectAfterStart implements InstantiationAwareBeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ConnectAfterStart.class);
    private static final List<Class<?>> CONNECTING = List.of(DataSource.class, ConnectionFactory.class, RedisConnectionFactory.class,
            ReactiveRedisConnectionFactory.class);

    private final EmbeddedServers servers;

    ConnectAfterStart(EmbeddedServers servers) {
        this.servers = servers;
    }

    @Override
    public Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) {
        if (CONNECTING.stream().anyMatch(type -> type.isAssignableFrom(beanClass))) {
            boolean waits = !servers.startEnded();
            long waiting = System.nanoTime();
            servers.awaitStarted();
            if (waits) {
                log.info("{} waited {} ms for the embedded PostgreSQL and Redis to start", beanName, (System.nanoTime() - waiting) / 1_000_000);
            }
        }
        return null;
    }
}
