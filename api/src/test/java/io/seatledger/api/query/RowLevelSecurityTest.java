package io.seatledger.api.query;

import io.seatledger.api.audit.checkpoint.CheckpointSigner;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.TenantScope;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL itself keeps tenants apart on the read path: a reader sees only the tenant it named, and nothing without one. */
class RowLevelSecurityTest extends IntegrationTest {

    static final List<String> TABLES = List.of("read_model.organizations", "read_model.seat_pools", "read_model.seats",
            "read_model.org_usage", "read_model.pool_changes", "read_model.charges", "audit.entries", "audit.feed", "audit.checkpoints");

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;
    @Autowired DatabaseClient database;
    @Autowired TransactionalOperator readTransactions;
    @Autowired CheckpointSigner checkpoints;

    @Test
    void aReaderSeesOnlyTheTenantItNamedAndNothingWithoutOne() {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant acme = SeatScenarios.organization(commands);
        SeatScenarios.poolThroughALifecycle(commands, acme.orgId(), acme.manager());
        SeatScenarios.Tenant other = SeatScenarios.organization(commands);
        SeatScenarios.poolThroughALifecycle(commands, other.orgId(), other.manager());
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);
        checkpoints.checkpoint(acme.orgId());
        checkpoints.checkpoint(other.orgId());

        for (String table : TABLES) {
            long everything = jdbc.queryForObject("select count(*) from " + table, Long.class);
            long acmeRows = jdbc.queryForObject("select count(*) from " + table + " where org_id = ?", Long.class, acme.orgId());
            assertThat(acmeRows).as(table).isPositive().isLessThan(everything);

            assertThat(countAsReader(table, null)).as(table + " without a tenant").isZero();
            assertThat(countAsReader(table, acme.orgId())).as(table + " as acme").isEqualTo(acmeRows);
        }
    }

    @Test
    void everyTableTheReaderMayReadIsGuardedAndCheckedHere() {
        List<String> readable = jdbc.queryForList("""
                select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind = 'r' and has_table_privilege('seatledger_reader', c.oid, 'SELECT') and n.nspname not like 'pg_%'
                    and n.nspname <> 'information_schema' and c.relrowsecurity""", String.class);
        List<String> unguarded = jdbc.queryForList("""
                select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind = 'r' and has_table_privilege('seatledger_reader', c.oid, 'SELECT') and n.nspname not like 'pg_%'
                    and n.nspname <> 'information_schema' and not c.relrowsecurity""", String.class);
        assertThat(unguarded).as("tables the reader may read without row-level security").isEmpty();
        assertThat(readable).containsExactlyInAnyOrderElementsOf(TABLES);
    }

    /** Counts every row of {@code table} (no org_id condition) as the read path's role, naming {@code orgId} if given. */
    private long countAsReader(String table, String orgId) {
        Mono<Void> tenant = orgId == null ? Mono.empty()
                : database.sql("select set_config('" + TenantScope.SETTING + "', :org, true)").bind("org", orgId).then();
        return tenant.then(database.sql("set local role " + TenantScope.ROLE).then())
                .then(database.sql("select count(*) as rows from " + table).map(row -> row.get("rows", Long.class)).one())
                .as(readTransactions::transactional)
                .block();
    }
}
