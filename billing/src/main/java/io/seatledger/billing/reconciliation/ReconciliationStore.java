package io.seatledger.billing.reconciliation;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Keeps every reconciliation run and its findings ({@code billing.reconciliations}, {@code billing.reconciliation_drifts}). */
public class ReconciliationStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public ReconciliationStore(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    public void save(ReconciliationReport report, String requestedBy) {
        transaction.executeWithoutResult(status -> {
            jdbc.update("insert into billing.reconciliations (id, requested_by, started_at, finished_at, checked, in_sync) values (?, ?, ?, ?, ?, ?)",
                    report.id(), requestedBy, Timestamp.from(report.startedAt()), Timestamp.from(report.finishedAt()), report.checked(), report.inSync());
            List<Object[]> rows = new java.util.ArrayList<>();
            for (int i = 0; i < report.drifts().size(); i++) {
                Drift drift = report.drifts().get(i);
                rows.add(new Object[]{report.id(), i, drift.orgId(), drift.poolId(), drift.kind().name(), json(drift.local()), json(drift.remote()),
                        drift.action().name()});
            }
            jdbc.batchUpdate("""
                    insert into billing.reconciliation_drifts (reconciliation_id, ordinal, org_id, pool_id, kind, local_state, remote_state, action)
                    values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)""", rows);
        });
    }

    public Optional<ReconciliationReport> find(UUID id) {
        List<Drift> drifts = jdbc.query("select * from billing.reconciliation_drifts where reconciliation_id = ? order by ordinal",
                (rs, row) -> new Drift(rs.getString("org_id"), rs.getString("pool_id"), Drift.Kind.valueOf(rs.getString("kind")),
                        map(rs.getString("local_state")), map(rs.getString("remote_state")), Drift.Action.valueOf(rs.getString("action"))), id);
        return jdbc.query("select * from billing.reconciliations where id = ?",
                (rs, row) -> new ReconciliationReport(rs.getObject("id", UUID.class), rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("finished_at").toInstant(), rs.getInt("checked"), rs.getInt("in_sync"), drifts), id).stream().findFirst();
    }

    private static String json(Map<String, Object> value) {
        return value == null ? null : JSON.writeValueAsString(value);
    }

    private static Map<String, Object> map(String json) {
        return json == null ? null : JSON.readValue(json, MAP);
    }
}
