package io.seatledger.api.erasure;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.Rejection;
import io.seatledger.messages.seatpool.RevokeSeat;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.positions.ReadModelWaits;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out an erasure: records it (by digest), destroys the subject's key, revokes the seats the address holds or
 * is invited to through their pools (reason {@value #REASON}, so the holder is no longer entitled and the capacity is
 * freed), waits until the read models have applied everything stored so far, and replaces the address in them.
 * Every step may run again: a repeated request finds the first record and completes it.
 */
public class Erasures {

    /** The reason recorded on the revocations an erasure makes. */
    public static final String REASON = "subject_erased";
    /** What must have seen every stored event before the subject's seats are looked up. */
    private static final Set<String> SEAT_HOLDERS = Set.of(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR);
    /** What must have applied the revocations before the erasure is done: entitlements, history and audit included. */
    private static final Set<String> EVERY_READ_MODEL = Set.of(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR,
            RedisCounterProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);
    private static final Logger log = LoggerFactory.getLogger(Erasures.class);

    private final SubjectDigests digests;
    private final SubjectKeys keys;
    private final VaultErasedAddresses addresses;
    private final ErasureRecords records;
    private final ReadModelScrub scrub;
    private final CommandGateway commands;
    private final ReadModelWaits waits;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration patience;

    public Erasures(SubjectDigests digests, SubjectKeys keys, VaultErasedAddresses addresses, ErasureRecords records, ReadModelScrub scrub, CommandGateway commands, ReadModelWaits waits,
                    JdbcTemplate jdbc, Clock clock, Duration patience) {
        this.digests = digests;
        this.keys = keys;
        this.addresses = addresses;
        this.records = records;
        this.scrub = scrub;
        this.commands = commands;
        this.waits = waits;
        this.jdbc = jdbc;
        this.clock = clock;
        this.patience = patience;
    }

    /** Erases {@code email} in {@code orgId} at the request of {@code requester}; blocks while it works. */
    public Erasure erase(String orgId, String email, AuditMetadata requester) {
        String digest = digests.of(orgId, email);
        Erasure erasure = records.request(orgId, digest, requester.actorId(), requester.roles(), clock.instant());
        return finish(new ErasureRecords.Pending(orgId, erasure.erasureId(), digest, requester.actorId(), requester.roles()), erasure);
    }

    /**
     * Finishes erasures left pending (the read models were late, the instance stopped) on behalf of their requesters,
     * by digest alone. Returns how many are done now.
     */
    public int finishPending(Duration olderThan, int limit) {
        int done = 0;
        for (ErasureRecords.Pending pending : records.pending(clock.instant().minus(olderThan), limit)) {
            Erasure erasure = records.find(pending.orgId(), pending.erasureId()).orElseThrow();
            if (finish(pending, erasure).completedAt() != null) {
                done++;
            }
        }
        return done;
    }

    private Erasure finish(ErasureRecords.Pending subject, Erasure erasure) {
        String orgId = subject.orgId();
        records.destroyKey(orgId, subject.digest(), clock.instant());
        keys.forget(orgId, subject.digest());
        addresses.forget(orgId);
        if (!caughtUp(orgId, SEAT_HOLDERS)) {
            return erasure;
        }
        AuditMetadata requester = new AuditMetadata(subject.requestedBy(), subject.requesterRoles(), null, REASON, orgId);
        for (ReadModelScrub.HeldSeat seat : scrub.occupiedSeats(orgId, subject.digest())) {
            revoke(orgId, seat, requester, erasure.erasureId());
        }
        if (!caughtUp(orgId, EVERY_READ_MODEL)) {
            return erasure;
        }
        int rows = scrub.scrub(orgId, subject.digest());
        log.info("erasure {} of organization {}: {} read-model rows scrubbed", erasure.erasureId(), orgId, rows);
        return records.complete(orgId, erasure.erasureId(), clock.instant());
    }

    public Optional<Erasure> find(String orgId, String erasureId) {
        return records.find(orgId, erasureId);
    }

    /**
     * Revokes a seat given to a subject whose key an erasure destroyed while the seat was being stored (the erasure
     * may have looked for the subject's seats before): on behalf of the one who assigned it, reason {@value #REASON}.
     */
    public void revokeErasedMeanwhile(String orgId, String poolId, String seatId, AuditMetadata assigner) {
        AuditMetadata metadata = new AuditMetadata(assigner.actorId(), assigner.roles(), "erased-meanwhile:" + seatId, REASON, orgId);
        log.info("a seat of organization {} was assigned while its subject was erased; revoking it", orgId);
        send(new RevokeSeat(poolId, orgId, seatId), metadata);
    }

    /** One revocation, in a request id of its own so that running the erasure again does not revoke twice. */
    private void revoke(String orgId, ReadModelScrub.HeldSeat seat, AuditMetadata requester, String erasureId) {
        AuditMetadata metadata = new AuditMetadata(requester.actorId(), requester.roles(), "erasure:" + erasureId + ":" + seat.seatId(), REASON, orgId);
        send(new RevokeSeat(seat.poolId(), orgId, seat.seatId()), metadata);
    }

    private void send(RevokeSeat revoke, AuditMetadata metadata) {
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(revoke).andMetaData(metadata.asMap()));
        } catch (RuntimeException failure) {
            // a seat revoked meanwhile (or by an earlier run of this erasure) is what we want
            if (Rejection.behind(failure).map(Rejection::code).filter(ErrorCode.INVALID_SEAT_STATE::equals).isEmpty()) {
                throw failure;
            }
        }
    }

    /** Whether the read models applied every event stored so far (false once the patience ran out). */
    private boolean caughtUp(String orgId, Set<String> readModels) {
        Long head = jdbc.queryForObject("select coalesce(max(global_index), -1) from events.domain_event_entry", Long.class);
        return waits.await(readModels, orgId, head, patience).join();
    }
}
