package io.seatledger.api.eventstore;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.TenantScope;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's database role can do what the service does and nothing more: connected with the service's own
 * credentials, every attempt to change history, to reach past row-level security or to become someone with
 * more rights is refused by PostgreSQL.
 */
class DatabaseRolesTest extends IntegrationTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;
    @Autowired Environment environment;

    @Test
    void theServiceRoleIsNoSuperuserOwnsNothingAndMayCreateNothing() {
        assertThat(jdbc.queryForObject("select current_user", String.class)).isNotEqualTo(environment.getProperty("spring.flyway.user"));
        assertThat(jdbc.queryForList("""
                select rolname from pg_roles where pg_has_role(current_user, oid, 'MEMBER')
                    and (rolsuper or rolbypassrls or rolcreaterole or rolcreatedb or rolreplication)""", String.class))
                .as("roles the service is (or may become) with special powers").isEmpty();
        assertThat(jdbc.queryForList("""
                select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where pg_has_role(current_user, c.relowner, 'MEMBER')""", String.class)).as("relations it owns").isEmpty();
        assertThat(jdbc.queryForList("select nspname from pg_namespace where pg_has_role(current_user, nspowner, 'MEMBER')", String.class))
                .as("schemas it owns").isEmpty();
        assertThat(jdbc.queryForList("select proname from pg_proc where pg_has_role(current_user, proowner, 'MEMBER')", String.class))
                .as("functions it owns").isEmpty();
        assertThat(jdbc.queryForList("select nspname from pg_namespace where has_schema_privilege(current_user, oid, 'CREATE')", String.class))
                .as("schemas it may create objects in").isEmpty();
        assertThat(jdbc.queryForObject("select has_database_privilege(current_user, current_database(), 'CREATE')", Boolean.class)).isFalse();
        assertThat(jdbc.queryForList("""
                select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind = 'r' and c.relrowsecurity and not c.relforcerowsecurity""", String.class))
                .as("tables whose row-level security does not bind their owner").isEmpty();
    }

    @Test
    void historyCannotBeChangedWithTheServicesCredentials() throws SQLException {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant acme = SeatScenarios.organization(commands);
        SeatScenarios.poolThroughALifecycle(commands, acme.orgId(), acme.manager());
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);
        String org = "'" + acme.orgId() + "'";

        List<String> refused = List.of(
                "update events.domain_event_entry set payload_type = 'forged' where aggregate_identifier = " + org,
                "delete from events.domain_event_entry where aggregate_identifier = " + org,
                "truncate events.domain_event_entry",
                "alter table events.domain_event_entry disable trigger domain_event_entry_append_only",
                "drop trigger domain_event_entry_append_only on events.domain_event_entry",
                "update events.snapshot_event_entry set payload_type = 'forged'",
                "update audit.entries set reason = 'forged' where org_id = " + org,
                "delete from audit.entries where org_id = " + org,
                "truncate audit.entries",
                "drop table audit.entries",
                // the live feed's numbering is its trigger's alone
                "insert into audit.feed (org_id, seq, position) values (" + org + ", 1000000, -1)",
                "update audit.feed set seq = seq + 1 where org_id = " + org,
                "delete from audit.feed where org_id = " + org,
                "update audit.feed_heads set seq = 0 where org_id = " + org,
                "insert into audit.feed_heads (org_id, seq) values ('planted', 1)",
                "drop trigger number_feed_entries on audit.entries",
                "alter table read_model.seats no force row level security",
                "alter table read_model.seats disable row level security",
                "drop policy tenant_rows on read_model.seats",
                "create table read_model.planted (id int)",
                "create schema planted",
                "create function read_model.planted() returns int language sql as 'select 1'",
                "set role " + environment.getProperty("spring.flyway.user"),
                "update axon.flyway_schema_history set success = false",
                "update billing.reconciliations set checked = 0",
                // the rebuild's owner procedures take only a rebuildable table
                "call read_model.swap_in_shadow_table('events', 'domain_event_entry')",
                "call read_model.create_shadow_table('events', 'domain_event_entry')",
                "call read_model.drop_shadow_table('axon', 'flyway_schema_history')",
                "call read_model.swap_in_shadow_table('audit'';drop table audit.entries;--', 'entries')");
        try (Connection service = serviceConnection(); Statement statement = service.createStatement()) {
            for (String sql : refused) {
                assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                        failure -> assertThat(failure.getSQLState()).as(sql + ": " + failure.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            }
            assertThat(count(statement, "select count(*) from events.domain_event_entry where aggregate_identifier = " + org)).isPositive();
            assertThat(count(statement, "select count(*) from audit.entries where org_id = " + org)).isPositive();
            assertThat(count(statement, "select count(*) from pg_trigger where tgname = 'domain_event_entry_append_only' and tgenabled = 'O'")).isOne();
        }
    }

    @Test
    void aRebuildSwapCannotEmptyOrForgeTheAuditTrail() throws SQLException {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant acme = SeatScenarios.organization(commands);
        SeatScenarios.poolThroughALifecycle(commands, acme.orgId(), acme.manager());
        new Processors(processing, jdbc).awaitCaughtUp(AuditTrailProjection.PROCESSOR);
        String org = "'" + acme.orgId() + "'";
        try (Connection service = serviceConnection(); Statement statement = service.createStatement()) {
            service.setAutoCommit(false);
            statement.execute("call read_model.create_shadow_table('audit', 'entries')");
            assertThatThrownBy(() -> statement.execute("call read_model.swap_in_shadow_table('audit', 'entries')")).as("an empty trail swapped in")
                    .isInstanceOfSatisfying(SQLException.class, failure -> assertThat(failure.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            service.rollback();

            statement.execute("call read_model.create_shadow_table('audit', 'entries')");
            statement.execute("insert into audit_rebuild.entries select * from audit.entries where org_id <> " + org);
            statement.execute("insert into audit_rebuild.entries select (jsonb_populate_record(null::audit_rebuild.entries,"
                    + " to_jsonb(e) || jsonb_build_object('reason', 'forged'))).* from audit.entries e where org_id = " + org);
            assertThatThrownBy(() -> statement.execute("call read_model.swap_in_shadow_table('audit', 'entries')")).as("forged entries swapped in")
                    .isInstanceOfSatisfying(SQLException.class, failure -> assertThat(failure.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            service.rollback();
            service.setAutoCommit(true);
            assertThat(count(statement, "select count(*) from audit.entries where org_id = " + org + " and reason = 'forged'")).isZero();
            assertThat(count(statement, "select count(*) from audit.entries where org_id = " + org)).isPositive();
        }
    }

    @Test
    void onTheReadPathTheServiceSeesNoTenantItDidNotName() throws SQLException {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant acme = SeatScenarios.organization(commands);
        SeatScenarios.poolThroughALifecycle(commands, acme.orgId(), acme.manager());
        SeatScenarios.Tenant other = SeatScenarios.organization(commands);
        SeatScenarios.poolThroughALifecycle(commands, other.orgId(), other.manager());
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);

        try (Connection service = serviceConnection(); Statement statement = service.createStatement()) {
            service.setAutoCommit(false);
            statement.execute("set local role " + TenantScope.ROLE);
            assertThat(count(statement, "select count(*) from read_model.seats")).as("without a tenant").isZero();
            assertThat(count(statement, "select count(*) from audit.entries")).as("without a tenant").isZero();
            assertThat(count(statement, "select count(*) from audit.feed")).as("without a tenant").isZero();
            statement.execute("select set_config('" + TenantScope.SETTING + "', '" + acme.orgId() + "', true)");
            assertThat(count(statement, "select count(*) from read_model.seats")).isPositive();
            assertThat(count(statement, "select count(*) from read_model.seats where org_id <> '" + acme.orgId() + "'")).isZero();
            assertThat(count(statement, "select count(*) from audit.entries where org_id = '" + other.orgId() + "'")).isZero();
            assertThat(count(statement, "select count(*) from audit.feed where org_id = '" + acme.orgId() + "'")).isPositive();
            assertThat(count(statement, "select count(*) from audit.feed where org_id <> '" + acme.orgId() + "'")).isZero();
            assertThatThrownBy(() -> statement.execute("update read_model.seats set email = 'mallory@evil.example'"))
                    .isInstanceOfSatisfying(SQLException.class, failure -> assertThat(failure.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
            service.rollback();
        }
    }

    @Test
    void theEmbeddedPasswordsAreReadableByTheirOwnerOnly() throws Exception {
        Path credentials = Path.of(environment.getRequiredProperty("seatledger.data-dir"), "postgres-credentials.properties");
        assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(credentials)).contains(environment.getRequiredProperty("spring.datasource.password"))
                .contains(environment.getRequiredProperty("spring.flyway.password"));
    }

    /** A connection of its own with the service's credentials, so that nothing tried here reaches the service's pool. */
    private Connection serviceConnection() throws SQLException {
        return DriverManager.getConnection(environment.getRequiredProperty("spring.datasource.url"),
                environment.getRequiredProperty("spring.datasource.username"), environment.getRequiredProperty("spring.datasource.password"));
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
