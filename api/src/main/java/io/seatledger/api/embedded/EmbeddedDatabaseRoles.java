package io.seatledger.api.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;

/**
 * The embedded PostgreSQL's two roles, as an operator sets them up for an external one (docs/operations.md,
 * "Database roles"): {@value #OWNER} owns the schemas and runs the migrations; the service connects as
 * {@value #RUNTIME_LOGIN}, a member of {@code seatledger_runtime}, which owns nothing. Their passwords are
 * generated once and kept in the data directory, readable by its owner only. Objects of a data directory from
 * before this split, owned by the superuser, are handed to {@value #OWNER}.
 */
final class EmbeddedDatabaseRoles {

    static final String OWNER = "seatledger_owner";
    static final String RUNTIME_LOGIN = "seatledger_app";
    static final String CREDENTIALS_FILE = "postgres-credentials.properties";

    private static final String SUPERUSER = "postgres";
    private static final String SCHEMAS = "'axon', 'events', 'read_model', 'audit', 'read_model_rebuild', 'audit_rebuild', 'api', 'billing'";

    /** The passwords of {@value #OWNER} and {@value #RUNTIME_LOGIN}. */
    record Credentials(String ownerPassword, String runtimePassword) {
    }

    private EmbeddedDatabaseRoles() {
    }

    /** The stored passwords of {@code dataDirectory}, generated (and stored) on first use. */
    static Credentials credentials(Path dataDirectory) {
        Path file = dataDirectory.resolve(CREDENTIALS_FILE);
        try {
            if (Files.exists(file)) {
                Properties stored = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    stored.load(reader);
                }
                return new Credentials(stored.getProperty("owner.password"), stored.getProperty("runtime.password"));
            }
            Credentials generated = new Credentials(password(), password());
            Properties properties = new Properties();
            properties.setProperty("owner.password", generated.ownerPassword());
            properties.setProperty("runtime.password", generated.runtimePassword());
            Path partial = Files.createTempFile(dataDirectory, CREDENTIALS_FILE, ".partial");
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            try (Writer writer = Files.newBufferedWriter(partial)) {
                properties.store(writer, "Passwords of the embedded PostgreSQL's roles " + OWNER + " and " + RUNTIME_LOGIN);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the embedded PostgreSQL's passwords in " + file, e);
        }
    }

    /** Creates the roles if missing and sets their passwords, as the embedded cluster's superuser. */
    static void apply(String jdbcUrl, Credentials credentials) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, SUPERUSER, "");
             Statement sql = connection.createStatement()) {
            sql.execute("""
                    DO $$
                    BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1$s') THEN CREATE ROLE %1$s LOGIN; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'seatledger_reader') THEN CREATE ROLE seatledger_reader NOLOGIN; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'seatledger_runtime') THEN CREATE ROLE seatledger_runtime NOLOGIN; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%2$s') THEN CREATE ROLE %2$s LOGIN; END IF;
                    END $$""".formatted(OWNER, RUNTIME_LOGIN));
            sql.execute("ALTER ROLE " + OWNER + " LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS PASSWORD '" + credentials.ownerPassword() + "'");
            sql.execute("ALTER ROLE " + RUNTIME_LOGIN + " LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS PASSWORD '" + credentials.runtimePassword() + "'");
            sql.execute("GRANT CREATE ON DATABASE postgres TO " + OWNER);
            sql.execute("GRANT seatledger_reader TO " + OWNER + " WITH ADMIN OPTION");
            sql.execute("GRANT seatledger_reader TO seatledger_runtime");
            sql.execute("GRANT seatledger_runtime TO " + RUNTIME_LOGIN);
            sql.execute(handOverFromSuperuser());
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up the embedded PostgreSQL's roles: " + e.getMessage(), e);
        }
    }

    /** Schemas, tables, sequences and routines of ours the superuser still owns go to the owner role. */
    private static String handOverFromSuperuser() {
        return """
                DO $$
                DECLARE
                    object RECORD;
                BEGIN
                    FOR object IN SELECT nspname FROM pg_namespace WHERE nspname IN (%1$s) AND nspowner = '%2$s'::regrole LOOP
                        EXECUTE format('ALTER SCHEMA %%I OWNER TO %3$s', object.nspname);
                    END LOOP;
                    FOR object IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                  WHERE n.nspname IN (%1$s) AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner = '%2$s'::regrole LOOP
                        EXECUTE format('ALTER TABLE %%s OWNER TO %3$s', object.name);
                    END LOOP;
                    FOR object IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                  WHERE n.nspname IN (%1$s) AND c.relkind = 'S' AND c.relowner = '%2$s'::regrole LOOP
                        EXECUTE format('ALTER SEQUENCE %%s OWNER TO %3$s', object.name);
                    END LOOP;
                    FOR object IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                  WHERE n.nspname IN (%1$s) AND p.proowner = '%2$s'::regrole LOOP
                        EXECUTE format('ALTER ROUTINE %%s OWNER TO %3$s', object.name);
                    END LOOP;
                END $$""".formatted(SCHEMAS, SUPERUSER, OWNER);
    }

    private static String password() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
