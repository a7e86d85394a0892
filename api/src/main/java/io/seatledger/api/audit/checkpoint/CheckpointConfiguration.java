package io.seatledger.api.audit.checkpoint;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.seatledger.api.settings.SeatLedgerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Signed checkpoints of the audit trail: the signing key ({@code seatledger.audit.signing-key-file}, else one kept in
 * the data directory), the signer, and the recurring task that checkpoints every organization whose trail grew,
 * every {@code seatledger.audit.checkpoint-interval}, at most {@code seatledger.audit.checkpoints-per-run} per run.
 */
@Configuration(proxyBeanMethods = false)
public class CheckpointConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CheckpointConfiguration.class);

    @Bean
    CheckpointSigningKey checkpointSigningKey(SeatLedgerProperties settings) {
        String keyFile = settings.audit().signingKeyFile();
        Path dataDirectory = settings.dataDir();
        if (keyFile != null && !keyFile.isBlank()) {
            return CheckpointSigningKey.fromFile(Path.of(keyFile));
        }
        CheckpointSigningKey key = CheckpointSigningKey.inDirectory(dataDirectory);
        log.warn("Audit checkpoints are signed with key {} kept in {}: keep and back up that file, or configure "
                + "seatledger.audit.signing-key-file (docs/configuration.md)", key.keyId(), dataDirectory.resolve(CheckpointSigningKey.FILE_IN_DATA_DIRECTORY));
        return key;
    }

    @Bean
    CheckpointSigner checkpointSigner(JdbcTemplate jdbc, CheckpointSigningKey key, Clock clock, SeatLedgerProperties settings) {
        Duration settleTime = settings.audit().checkpointSettleTime();
        if (settleTime.isNegative() || settleTime.isZero()) {
            throw new IllegalArgumentException("seatledger.audit.checkpoint-settle-time must be positive");
        }
        return new CheckpointSigner(jdbc, key, clock, settleTime);
    }

    /** Run by the db-scheduler that also runs the deadlines: once per interval in the whole cluster. */
    @Bean
    RecurringTask<Void> scheduledCheckpoints(CheckpointSigner signer, SeatLedgerProperties settings) {
        int perRun = settings.audit().checkpointsPerRun();
        if (perRun < 1) {
            throw new IllegalArgumentException("seatledger.audit.checkpoints-per-run must be at least 1");
        }
        return ScheduledCheckpoints.task(settings.audit().checkpointInterval(), () -> ScheduledCheckpoints.run(signer, perRun));
    }
}
