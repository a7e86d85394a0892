package io.seatledger.api.eventstore;

import io.seatledger.api.support.IntegrationTest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration that numbers the live feed (V15) on a database that already holds audit entries: each
 * organization's existing entries are numbered 1 to n in position order, whatever order they were stored in, and
 * the next entry continues at n + 1. Runs the project's migrations in a database of its own on the embedded cluster:
 * those before V15 (without the repeatable grants, which name V15's tables), then all.
 */
class FeedNumberingMigrationTest extends IntegrationTest {

    @Autowired Environment environment;

    @Test
    void existingEntriesAreNumberedInPositionOrderPerOrganizationAndNewOnesContinue(@TempDir Path before) throws Exception {
        String clusterUrl = environment.getRequiredProperty("spring.datasource.url");
        String owner = environment.getRequiredProperty("spring.flyway.user");
        String database = "feed_numbering_" + UUID.randomUUID().toString().replace("-", "");
        String url = clusterUrl.substring(0, clusterUrl.lastIndexOf('/') + 1) + database;
        superuser(clusterUrl, "create database " + database + " owner " + owner);
        try {
            DriverManagerDataSource asOwner = new DriverManagerDataSource(url, owner, environment.getRequiredProperty("spring.flyway.password"));
            for (Resource migration : new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*.sql")) {
                if (Integer.parseInt(migration.getFilename().substring(1, migration.getFilename().indexOf("__"))) < 15) {
                    try (InputStream script = migration.getInputStream()) {
                        Files.copy(script, before.resolve(migration.getFilename()));
                    }
                }
            }
            migrate(asOwner, "filesystem:" + before.toAbsolutePath());
            JdbcTemplate jdbc = new JdbcTemplate(asOwner);
            List<long[]> stored = List.of(new long[] {7, 1}, new long[] {3, 1}, new long[] {5, 2}, new long[] {4, 2}, new long[] {9, 1}, new long[] {1, 2});
            for (long[] entry : stored) {
                insertEntry(jdbc, entry[0], "org-" + entry[1]);
            }

            migrate(asOwner, "classpath:db/migration");

            assertThat(jdbc.queryForList("select org_id || ':' || seq || ':' || position from audit.feed order by org_id, seq", String.class))
                    .containsExactly("org-1:1:3", "org-1:2:7", "org-1:3:9", "org-2:1:1", "org-2:2:4", "org-2:3:5");
            assertThat(jdbc.queryForList("select org_id || ':' || seq from audit.feed_heads order by org_id", String.class))
                    .containsExactly("org-1:3", "org-2:3");
            insertEntry(jdbc, 2, "org-1");
            assertThat(jdbc.queryForMap("select seq, position from audit.feed where org_id = 'org-1' order by seq desc limit 1"))
                    .as("an entry stored later continues the organization's numbering, whatever its position")
                    .isEqualTo(Map.of("seq", 4L, "position", 2L));
        } finally {
            superuser(clusterUrl, "drop database if exists " + database + " with (force)");
        }
    }

    private static void insertEntry(JdbcTemplate jdbc, long position, String orgId) {
        jdbc.update("""
                insert into audit.entries (position, org_id, aggregate_id, sequence, occurred_at, action, object_type, object_id, details, hash)
                values (?, ?, ?, 0, now(), 'SeatAssigned', 'seat', ?, '{}', 'h')""", position, orgId, "pool-" + position, "seat-" + position);
    }

    /** The migrations found at {@code location}, as the service runs them. */
    private static void migrate(DriverManagerDataSource asOwner, String location) {
        Flyway.configure().dataSource(asOwner).locations(location)
                .schemas("axon", "events", "read_model", "audit", "read_model_rebuild", "audit_rebuild").defaultSchema("axon").createSchemas(true)
                .load().migrate();
    }

    private static void superuser(String clusterUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(clusterUrl, "postgres", ""); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
