package io.seatledger.api.erasure;

import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.projections.positions.ReadModelWaits;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.file.Path;
import java.time.Clock;

/** The erasure vault's keys and the erasure service. */
@Configuration(proxyBeanMethods = false)
public class ErasureConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ErasureConfiguration.class);

    /** The configured key-encryption key, or else the one kept in the data directory. */
    @Bean
    KeyEncryptionKey keyEncryptionKey(SeatLedgerProperties settings) {
        String configured = settings.erasure().keyEncryptionKey();
        Path dataDirectory = settings.dataDir();
        if (configured != null && !configured.isBlank()) {
            return KeyEncryptionKey.of(configured);
        }
        log.info("the erasure vault's key-encryption key is kept in {} (set seatledger.erasure.key-encryption-key to keep it elsewhere)",
                dataDirectory.resolve(KeyEncryptionKey.FILE_NAME));
        return KeyEncryptionKey.inDirectory(dataDirectory);
    }

    @Bean
    SubjectDigests subjectDigests(JdbcTemplate jdbc, KeyEncryptionKey kek, PlatformTransactionManager transactions) {
        return new SubjectDigests(jdbc, kek, transactions);
    }

    @Bean
    SubjectKeys subjectKeys(SubjectDigests digests, JdbcTemplate jdbc, KeyEncryptionKey kek, PlatformTransactionManager transactions) {
        return new SubjectKeys(digests, jdbc, kek, transactions);
    }

    @Bean
    Sealing sealing(SubjectKeys keys, Erasures erasures, JdbcTemplate jdbc) {
        return new Sealing(keys, erasures, new ClearSeats(jdbc));
    }

    @Bean
    VaultErasedAddresses erasedAddresses(SubjectDigests digests, JdbcTemplate jdbc) {
        return new VaultErasedAddresses(digests, jdbc);
    }

    @Bean
    ErasedDetails erasedDetails(VaultErasedAddresses addresses, SubjectKeys keys) {
        return new ErasedDetails(addresses, keys);
    }

    @Bean
    Erasures erasures(SubjectDigests digests, SubjectKeys keys, VaultErasedAddresses addresses, JdbcTemplate jdbc, CommandGateway commands, ReadModelWaits waits, Clock clock,
                      SeatLedgerProperties settings) {
        return new Erasures(digests, keys, addresses, new ErasureRecords(jdbc), new ReadModelScrub(jdbc, digests), commands, waits, jdbc, clock,
                settings.erasure().readModelPatience());
    }
}
