package io.seatledger.api.support;

import io.seatledger.messages.organization.OrganizationCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection that exists only in tests: it writes a row per organization whose name starts with
 * {@code tx-probe}, then fails on the ones named "poison" while poisoning is on. Failures propagate (the
 * default for every processor), so the batch — the row and the processor's token — must roll back together.
 */
@ProcessingGroup(TransactionProbe.PROCESSOR)
public class TransactionProbe {

    public static final String PROCESSOR = "transaction-probe";

    private final JdbcTemplate jdbc;
    private volatile boolean poisoning = true;

    /** The probe's table is created by the owner in read_model, where the default privileges let the service write it. */
    public TransactionProbe(JdbcTemplate jdbc, DatabaseOwner owner) {
        this.jdbc = jdbc;
        owner.jdbc().execute("create table if not exists read_model.tx_probe (org_id text primary key)");
    }

    public void stopPoisoning() {
        poisoning = false;
    }

    @EventHandler
    void on(OrganizationCreated event) {
        if (!event.name().startsWith("tx-probe")) {
            return;
        }
        jdbc.update("insert into read_model.tx_probe (org_id) values (?)", event.orgId());
        if (poisoning && event.name().contains("poison")) {
            throw new IllegalStateException("poisoned on purpose, after writing");
        }
    }

    public boolean hasRow(String orgId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists(select 1 from read_model.tx_probe where org_id = ?)", Boolean.class, orgId));
    }

    static class Configuration {
        @Bean
        @DependsOnDatabaseInitialization
        TransactionProbe transactionProbe(JdbcTemplate jdbc, DatabaseOwner owner) {
            return new TransactionProbe(jdbc, owner);
        }
    }
}
