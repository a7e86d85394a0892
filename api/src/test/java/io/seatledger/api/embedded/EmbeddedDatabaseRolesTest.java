package io.seatledger.api.embedded;

import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded start sets up the owner and runtime roles, keeps their passwords, and takes over older data directories. */
class EmbeddedDatabaseRolesTest {

    @Test
    void aDataDirectoryFromBeforeTheRolesIsHandedToTheOwnerRoleAndKeepsItsPasswords(@TempDir Path dataDirectory) throws Exception {
        try {
            // Not "start clean": zonky would remove such a data directory when it stops.
            EmbeddedServers first = EmbeddedServers.forDirectory(new EmbeddedServers.Settings(dataDirectory, false, 0, 0, true), new NoOpLog());
            String credentials = Files.readString(dataDirectory.resolve(EmbeddedDatabaseRoles.CREDENTIALS_FILE));
            // What the superuser's migrations left before the split: a schema, a table with its sequence, a function.
            try (Connection superuser = DriverManager.getConnection(first.jdbcUrl(), "postgres", "");
                 Statement sql = superuser.createStatement()) {
                sql.execute("create schema read_model");
                sql.execute("create table read_model.legacy (id serial primary key)");
                sql.execute("create function read_model.legacy_answer() returns int language sql as 'select 42'");
            }
            EmbeddedServers.stop(dataDirectory);

            EmbeddedServers again = EmbeddedServers.forDirectory(new EmbeddedServers.Settings(dataDirectory, false, 0, 0, true), new NoOpLog());
            assertThat(Files.readString(dataDirectory.resolve(EmbeddedDatabaseRoles.CREDENTIALS_FILE))).isEqualTo(credentials);
            assertThat(again.ownerPassword()).isNotEqualTo(again.runtimePassword());
            try (Connection owner = DriverManager.getConnection(again.jdbcUrl(), again.ownerUser(), again.ownerPassword());
                 Statement sql = owner.createStatement()) {
                assertThat(text(sql, "select nspowner::regrole::text from pg_namespace where nspname = 'read_model'")).isEqualTo(again.ownerUser());
                assertThat(text(sql, "select relowner::regrole::text from pg_class where oid = 'read_model.legacy'::regclass")).isEqualTo(again.ownerUser());
                assertThat(text(sql, "select relowner::regrole::text from pg_class where oid = 'read_model.legacy_id_seq'::regclass")).isEqualTo(again.ownerUser());
                assertThat(text(sql, "select proowner::regrole::text from pg_proc where proname = 'legacy_answer'")).isEqualTo(again.ownerUser());
                assertThat(text(sql, """
                        select string_agg(rolname, ',') from pg_roles where rolname in ('seatledger_owner', 'seatledger_app', 'seatledger_runtime')
                            and (rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)""")).isNull();
                assertThat(text(sql, "select pg_has_role('" + again.runtimeUser() + "', 'seatledger_runtime', 'MEMBER')::text")).isEqualTo("true");
                assertThat(text(sql, "select pg_has_role('" + again.runtimeUser() + "', '" + again.ownerUser() + "', 'MEMBER')::text")).isEqualTo("false");
            }
        } finally {
            EmbeddedServers.stop(dataDirectory);
        }
    }

    private static String text(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
