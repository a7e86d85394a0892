package io.seatledger.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.UUID;

/** What PostgreSQL and Redis do on their own, measured in the same run as the figure compared with them. */
final class RawBaselines {

    private static final int BATCH = 1_000;

    private RawBaselines() {
    }

    /** {@code GET} of one small key from {@code clients} threads sharing one Lettuce connection, as the service does. */
    static Load redisGets(String redisUri, int clients, int seconds) throws Exception {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.set("bench:raw", "{\"entitled\":true}");
            return Load.ofThreads(clients, seconds, ignored -> redis.get("bench:raw") != null);
        } finally {
            client.shutdown();
        }
    }

    /**
     * The HTTP floor: a bare Reactor Netty server (started here, on loopback) answering every {@code GET} with a fixed
     * JSON body the size of an entitlement answer, loaded by {@code load} (closed or open loop) with the same Netty
     * clients as the service's routes.
     */
    static Load bareNettyHttp(Function<IntFunction<Mono<Boolean>>, Load> load) {
        byte[] body = "{\"userId\":\"user-1\",\"entitled\":true,\"seats\":[{\"poolId\":\"p\",\"seatId\":\"s\"}]}".getBytes(StandardCharsets.UTF_8);
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/entitlement", (request, response) -> response.header("Content-Type", "application/json")
                        .sendByteArray(Mono.just(body))))
                .bindNow();
        try {
            HttpClient client = HttpClient.create(ConnectionProvider.create("bench-raw-http", 500)).baseUrl("http://127.0.0.1:" + server.port());
            return load.apply(ignored -> client.get().uri("/entitlement")
                    .responseSingle((response, answer) -> answer.asString().map(text -> response.status().code() == 200 && text.contains("\"entitled\":true"))));
        } finally {
            server.disposeNow();
        }
    }

    /** Single-row autocommit {@code INSERT}s from {@code clients} threads, a connection each. */
    static Load singleRowInserts(DataSource database, int clients, int seconds) throws Exception {
        try (Connection connection = database.getConnection(); var ddl = connection.createStatement()) {
            ddl.execute("create schema if not exists bench");
            ddl.execute("create table if not exists bench.raw_seat (id bigserial primary key, pool_id text not null, email text not null, "
                    + "created_at timestamptz not null default now())");
        }
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Connection connection = database.getConnection();
                connection.setAutoCommit(true);
                connections.add(connection);
            }
            return Load.ofThreads(clients, seconds, client -> {
                try (PreparedStatement insert = connections.get(client).prepareStatement("insert into bench.raw_seat (pool_id, email) values (?, ?)")) {
                    insert.setString(1, "pool-" + client);
                    insert.setString(2, UUID.randomUUID() + "@bench.example");
                    return insert.executeUpdate() == 1;
                }
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    /**
     * The design a team would write without event sourcing, as issue 20 describes it: one transaction per assignment
     * that bumps its pool's row under the capacity check, inserts the seat and inserts an audit row, committed as the
     * service commits (durably). {@code clients} threads over as many pools, a connection each, pools large enough
     * never to fill. A refused capacity check counts as a failure.
     */
    static Load crudAssignments(DataSource database, int clients, int seconds) throws Exception {
        try (Connection connection = database.getConnection(); var ddl = connection.createStatement()) {
            ddl.execute("create schema if not exists bench");
            ddl.execute("create table if not exists bench.crud_pool (pool_id text primary key, capacity int not null, in_use int not null)");
            ddl.execute("create table if not exists bench.crud_seat (seat_id uuid primary key, pool_id text not null references bench.crud_pool, "
                    + "email text not null, status text not null, created_at timestamptz not null default now(), unique (pool_id, email))");
            ddl.execute("create table if not exists bench.crud_audit (id bigserial primary key, pool_id text not null, seat_id uuid not null, "
                    + "actor text not null, action text not null, details jsonb not null, occurred_at timestamptz not null default now())");
            ddl.execute("truncate bench.crud_audit, bench.crud_seat, bench.crud_pool");
            for (int pool = 0; pool < clients; pool++) {
                ddl.execute("insert into bench.crud_pool values ('crud-pool-" + pool + "', 100000000, 0)");
            }
        }
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Connection connection = database.getConnection();
                connection.setAutoCommit(false);
                connections.add(connection);
            }
            return Load.ofThreads(clients, seconds, client -> {
                Connection connection = connections.get(client);
                String pool = "crud-pool-" + client;
                UUID seat = UUID.randomUUID();
                try (PreparedStatement claim = connection.prepareStatement("update bench.crud_pool set in_use = in_use + 1 where pool_id = ? and in_use < capacity");
                     PreparedStatement insertSeat = connection.prepareStatement("insert into bench.crud_seat (seat_id, pool_id, email, status) values (?, ?, ?, 'pending')");
                     PreparedStatement audit = connection.prepareStatement("insert into bench.crud_audit (pool_id, seat_id, actor, action, details) values (?, ?, ?, 'SeatAssigned', ?::jsonb)")) {
                    claim.setString(1, pool);
                    if (claim.executeUpdate() != 1) {
                        connection.rollback();
                        return false;
                    }
                    insertSeat.setObject(1, seat);
                    insertSeat.setString(2, pool);
                    insertSeat.setString(3, seat + "@bench.example");
                    insertSeat.executeUpdate();
                    audit.setString(1, pool);
                    audit.setObject(2, seat);
                    audit.setString(3, "bench-manager");
                    audit.setString(4, "{\"email\":\"" + seat + "@bench.example\"}");
                    audit.executeUpdate();
                    connection.commit();
                    return true;
                } catch (java.sql.SQLException failed) {
                    connection.rollback();
                    throw failed;
                }
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    /**
     * {@code rows} seat rows inserted into a copy of {@code read_model.seats} (same columns and indexes) in JDBC batches
     * of 1,000, one transaction each: rows/s.
     */
    static double batchedInsertsPerSecond(DataSource database, long rows) throws Exception {
        try (Connection connection = database.getConnection()) {
            try (var ddl = connection.createStatement()) {
                ddl.execute("create schema if not exists bench");
                ddl.execute("drop table if exists bench.raw_seats");
                ddl.execute("create table bench.raw_seats (like read_model.seats including all)");
            }
            connection.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into bench.raw_seats (seat_id, pool_id, org_id, status, email, assigned_at, expires_at, metadata, position)
                    values (?, ?, ?, 'PENDING', ?, ?, ?, '{}'::jsonb, ?)""")) {
                String poolId = UUID.randomUUID().toString();
                for (long i = 0; i < rows; i++) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, poolId);
                    insert.setString(3, "bench-raw");
                    insert.setString(4, "seat" + i + "@raw.example");
                    insert.setTimestamp(5, now);
                    insert.setTimestamp(6, now);
                    insert.setLong(7, i);
                    insert.addBatch();
                    if ((i + 1) % BATCH == 0) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
            double perSecond = rows / ((System.nanoTime() - started) / 1e9);
            connection.setAutoCommit(true);
            try (var ddl = connection.createStatement()) {
                ddl.execute("drop table bench.raw_seats");
            }
            return perSecond;
        }
    }
}
