package io.seatledger.api.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;

/** Waits for the snapshots the write model stores in PostgreSQL (they are written off the command thread). */
public final class Snapshots {

    private Snapshots() {
    }

    /** The stored payload of the aggregate's snapshot, once there is one (at most 30 s). */
    public static byte[] awaitSnapshot(JdbcTemplate jdbc, String aggregateId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<byte[]> payloads = jdbc.query("select payload from events.snapshot_event_entry where aggregate_identifier = ?",
                    (row, i) -> row.getBytes(1), aggregateId);
            if (!payloads.isEmpty()) {
                return payloads.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no snapshot of " + aggregateId + " within 30 s");
    }
}
