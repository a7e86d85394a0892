package io.seatledger.readmodel.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import redis.embedded.RedisServer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * A real PostgreSQL and a real Redis for the tests of the modules that write and read the read models (projections,
 * query side), without the application: started once per JVM, stopped when it exits. The database has the schema the
 * service runs on: every module's Flyway migrations, read from the source tree ({@code <module>/src/main/resources/db/migration},
 * the same files the service's classpath merges), run as the schemas' owner; the tests connect as the runtime login,
 * a member of {@code seatledger_runtime} that owns nothing, as the service does (docs/operations.md, "Database roles").
 * Each test keeps to organizations of its own (random ids), so nothing is emptied between tests.
 */
public final class ReadModelStores {

    public static final String OWNER = "seatledger_owner";
    public static final String RUNTIME_LOGIN = "seatledger_app";
    public static final String DATABASE = "postgres";

    private static final String MIGRATIONS = "src/main/resources/db/migration";
    private static final String[] SCHEMAS = {"axon", "events", "read_model", "audit", "read_model_rebuild", "audit_rebuild"};

    private static ReadModelStores running;

    private final EmbeddedPostgres postgres;
    private final int redisPort;

    private ReadModelStores(EmbeddedPostgres postgres, int redisPort) {
        this.postgres = postgres;
        this.redisPort = redisPort;
    }

    /** The stores of this JVM, started and migrated on first use. */
    public static synchronized ReadModelStores get() {
        if (running == null) {
            running = start();
        }
        return running;
    }

    /** Connections as the runtime login: what the projections write and the query side reads with. */
    public DataSource runtime() {
        return postgres.getDatabase(RUNTIME_LOGIN, DATABASE);
    }

    /** Connections as the schemas' owner, for what a test does behind the service's back. */
    public DataSource owner() {
        return postgres.getDatabase(OWNER, DATABASE);
    }

    public int postgresPort() {
        return postgres.getPort();
    }

    public int redisPort() {
        return redisPort;
    }

    private static ReadModelStores start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    // a scratch cluster: nothing in it has to survive a crash
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            roles(postgres.getPostgresDatabase());
            Flyway.configure()
                    .dataSource(postgres.getDatabase(OWNER, DATABASE))
                    .locations(migrationLocations())
                    .schemas(SCHEMAS)
                    .defaultSchema(SCHEMAS[0])
                    .createSchemas(true)
                    .load()
                    .migrate();
            int redisPort = freePort();
            RedisServer redis = RedisServer.newRedisServer()
                    .port(redisPort)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            redis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    redis.stop();
                } catch (IOException ignored) {
                    // the JVM is exiting; the server's process goes with it
                }
            }, "read-model-stores-redis-stop"));
            return new ReadModelStores(postgres, redisPort);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL and Redis for the read-model tests", e);
        }
    }

    /** The owner, the reader, the runtime group and its login, as an operator creates them before the first migration. */
    private static void roles(DataSource superuser) {
        try (Connection connection = superuser.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("create role " + OWNER + " login");
            sql.execute("create role seatledger_reader nologin");
            sql.execute("create role seatledger_runtime nologin");
            sql.execute("create role " + RUNTIME_LOGIN + " login");
            sql.execute("grant create on database " + DATABASE + " to " + OWNER);
            sql.execute("grant seatledger_reader to " + OWNER + " with admin option");
            sql.execute("grant seatledger_reader to seatledger_runtime");
            sql.execute("grant seatledger_runtime to " + RUNTIME_LOGIN);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database roles: " + e.getMessage(), e);
        }
    }

    /** Every module's migrations directory, found from the working directory (a module's, or the project's). */
    private static String[] migrationLocations() throws IOException {
        Path project = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(project.resolve("api/pom.xml"))) {
            project = project.getParent();
            if (project == null) {
                throw new IllegalStateException("no seat-ledger project above " + Path.of("").toAbsolutePath());
            }
        }
        try (Stream<Path> modules = Files.list(project)) {
            String[] locations = modules.map(module -> module.resolve(MIGRATIONS)).filter(Files::isDirectory).sorted()
                    .map(directory -> "filesystem:" + directory).toArray(String[]::new);
            if (locations.length == 0) {
                throw new IllegalStateException("no migrations under " + project);
            }
            return locations;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
