package io.seatledger.query;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.readmodel.testing.ReadModelStores;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * The query side's stores wired as the service wires them, without its Spring context: R2DBC as the runtime login, in
 * read transactions scoped to a tenant ({@link TenantScope}), and Redis in the three states a read may find it in:
 * complete (its counters marked complete), flushed (reachable, no mark) and down (nothing listens).
 */
public final class ReadPath {

    /** How long a read waits for Redis before it answers from PostgreSQL (the service's default). */
    public static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);

    private static final int COMPLETE_DATABASE = 0;
    private static final int FLUSHED_DATABASE = 1;

    private static ReadPath opened;

    private final DatabaseClient database;
    private final TenantScope tenant;
    private final ReactiveStringRedisTemplate complete;
    private final ReactiveStringRedisTemplate flushed;
    private final ReactiveStringRedisTemplate down;

    private ReadPath(ConnectionFactory connections, int redisPort) {
        this.database = DatabaseClient.create(connections);
        this.tenant = new TenantScope(database, TransactionalOperator.create(new R2dbcTransactionManager(connections)));
        this.complete = redis(redisPort, COMPLETE_DATABASE);
        this.flushed = redis(redisPort, FLUSHED_DATABASE);
        this.down = redis(nobodyListens(), COMPLETE_DATABASE);
    }

    /** The read path of this JVM, on the stores of {@link ReadModelStores}. */
    public static synchronized ReadPath get() {
        if (opened == null) {
            ReadModelStores stores = ReadModelStores.get();
            opened = new ReadPath(new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                    .host("localhost").port(stores.postgresPort()).database(ReadModelStores.DATABASE).username(ReadModelStores.RUNTIME_LOGIN)
                    .build()), stores.redisPort());
            opened.complete.opsForValue().set(CounterKeys.COMPLETE, "true").block();
        }
        return opened;
    }

    /** The database as the runtime login, outside any tenant: how the projections write the rows a test reads. */
    public DatabaseClient database() {
        return database;
    }

    public TenantScope tenant() {
        return tenant;
    }

    /** A Redis whose counters are complete: reads are answered from it. */
    public ReactiveStringRedisTemplate completeRedis() {
        return complete;
    }

    /** A Redis that answers but was flushed (no completeness mark): reads go to PostgreSQL. */
    public ReactiveStringRedisTemplate flushedRedis() {
        return flushed;
    }

    /** A Redis that is down: reads go to PostgreSQL. */
    public ReactiveStringRedisTemplate redisDown() {
        return down;
    }

    public ReadSource readSource(ReactiveStringRedisTemplate redis) {
        return new ReadSource(redis, REDIS_TIMEOUT);
    }

    private static ReactiveStringRedisTemplate redis(int port, int database) {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration("127.0.0.1", port);
        server.setDatabase(database);
        LettuceConnectionFactory connections = new LettuceConnectionFactory(server);
        connections.afterPropertiesSet();
        connections.start();
        return new ReactiveStringRedisTemplate(connections);
    }

    private static int nobodyListens() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
