package io.seatledger.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The service's own settings ({@code seatledger.*}).
 *
 * @param seats        seat rules: invitation validity and bulk size
 * @param writeModel   how the write model keeps large pools fast
 */
@ConfigurationProperties("seatledger")
public record SeatLedgerProperties(Seats seats, WriteModel writeModel) {

    public SeatLedgerProperties {
        seats = seats == null ? new Seats(null, null, null, null) : seats;
        writeModel = writeModel == null ? new WriteModel(null, null, null) : writeModel;
    }

    /**
     * @param invitationValidity  how long an invitation can be claimed
     * @param maxBulkSeats        the most seats in one bulk assignment
     * @param expiryCheckInterval invitations expiring within one interval share one durable expiry check
     * @param maxPoolSeats        the most seats one pool may hold (purchase and resize)
     */
    public record Seats(Duration invitationValidity, Integer maxBulkSeats, Duration expiryCheckInterval, Integer maxPoolSeats) {
        public Seats {
            maxPoolSeats = maxPoolSeats == null ? 100_000 : maxPoolSeats;
            invitationValidity = invitationValidity == null ? Duration.ofDays(7) : invitationValidity;
            maxBulkSeats = maxBulkSeats == null ? 10_000 : maxBulkSeats;
            expiryCheckInterval = expiryCheckInterval == null ? Duration.ofMinutes(1) : expiryCheckInterval;
        }
    }

    /**
     * @param snapshotThreshold events after which a pool is snapshotted
     * @param commandRetries    how often a command that lost a concurrent write is retried
     * @param seatsHeld         how many seats the most recently used pools may have together and stay loaded whatever
     *                          the garbage collector needs (~0.5 KB of heap a seat; the most recently used pool stays
     *                          whatever its size; other loaded pools stay only while the collector does not need them)
     */
    public record WriteModel(Integer snapshotThreshold, Integer commandRetries, Integer seatsHeld) {
        public WriteModel {
            snapshotThreshold = snapshotThreshold == null ? 10_000 : snapshotThreshold;
            commandRetries = commandRetries == null ? 5 : commandRetries;
            seatsHeld = seatsHeld == null ? 120_000 : seatsHeld;
        }
    }
}
