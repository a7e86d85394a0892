package io.seatledger.api.erasure;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.seatpool.SeatState;
import io.seatledger.projections.ErasedAddresses;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The one place where the HTTP layer turns e-mail addresses into what commands carry and back: before dispatch each
 * address is sealed ({@link SubjectKeys}: ciphertext under the subject's key, named by its keyed digest), so no pool,
 * event, snapshot or audit entry is given a clear address; answers show stored addresses opened, or {@code "[erased]"}.
 * Vault work runs off the event loop.
 */
public class Sealing {

    private final SubjectKeys keys;
    private final Erasures erasures;
    private final ClearSeats clearSeats;

    public Sealing(SubjectKeys keys, Erasures erasures, ClearSeats clearSeats) {
        this.keys = keys;
        this.erasures = erasures;
        this.clearSeats = clearSeats;
    }

    /** {@code email} sealed for the organization; {@code SUBJECT_ERASED} once the subject was erased there. */
    public Mono<String> seal(String orgId, String email) {
        return Mono.fromCallable(() -> keys.seal(orgId, email)).subscribeOn(Schedulers.boundedElastic());
    }

    public Mono<List<String>> sealAll(String orgId, List<String> emails) {
        return Mono.fromCallable(() -> keys.sealAll(orgId, emails)).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * The addresses sealed for seats of one pool: refused ({@code SEAT_ALREADY_ASSIGNED}, a bulk request whole) when
     * one of them holds a seat of the pool stored in clear before sealing, which the pool cannot compare with a sealed
     * address ({@link ClearSeats}).
     */
    public Mono<List<String>> sealForPool(String orgId, String poolId, List<String> emails) {
        return Mono.fromCallable(() -> {
            List<Integer> held = clearSeats.held(orgId, poolId, emails);
            if (!held.isEmpty()) {
                String where = emails.size() == 1 ? "that address" : "the address of seats[" + held.get(0) + "]";
                throw new SeatLedgerException(ErrorCode.SEAT_ALREADY_ASSIGNED, where + " already holds a seat in this pool");
            }
            return keys.sealAll(orgId, emails);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The billing manager with the address sealed. */
    public Mono<BillingManager> sealed(String orgId, BillingManager manager) {
        return seal(orgId, manager.email()).map(email -> new BillingManager(manager.userId(), email));
    }

    /**
     * What a claim compares with the invited seat's stored address: for a sealed seat the claimant's digest alone
     * ({@link PersonalData#reference}); for a seat stored in clear before sealing, the claimant's address, as then.
     */
    public Mono<String> claimant(String orgId, String seatAddress, String claimantEmail) {
        if (!Emails.isValid(claimantEmail)) {
            // never passed on: shaped like a subject reference, it would match a sealed seat
            return Mono.just("");
        }
        if (!PersonalData.isSealed(seatAddress)) {
            return Mono.just(claimantEmail);
        }
        return Mono.fromCallable(() -> PersonalData.reference(keys.digest(orgId, claimantEmail))).subscribeOn(Schedulers.boundedElastic());
    }

    /** How each of these stored addresses is shown: opened, {@code "[erased]"}, or (stored in clear) as it is. */
    public Mono<UnaryOperator<String>> shown(String orgId, Collection<String> stored) {
        if (stored.stream().noneMatch(PersonalData::isSealed)) {
            return Mono.just(UnaryOperator.identity());
        }
        return Mono.fromCallable(() -> {
            Map<String, String> shown = keys.revealAll(orgId, stored);
            return (UnaryOperator<String>) value -> value == null ? null : shown.getOrDefault(value, value);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    public Mono<BillingManager> shown(String orgId, BillingManager manager) {
        if (manager == null) {
            return Mono.empty();
        }
        return shown(orgId, List.of(manager.email())).map(show -> new BillingManager(manager.userId(), show.apply(manager.email())));
    }

    /**
     * How the answer to a request shows the stored addresses of the seats it gave: those it sealed itself as the caller
     * sent them (canonical), without opening them again, and {@code "[erased]"} for subjects erased meanwhile
     * ({@code erasedSubjects}, digests); any other as {@link #shown} shows it. The same text {@link #shown} gives, minus
     * a vault read and a decryption per seat.
     */
    public Mono<UnaryOperator<String>> shownAsSent(String orgId, List<String> sent, List<String> sealed, Set<String> erasedSubjects,
                                                   Collection<String> stored) {
        Map<String, String> clear = new HashMap<>(sealed.size() * 2);
        for (int i = 0; i < sealed.size(); i++) {
            if (PersonalData.isSealed(sealed.get(i))) {
                clear.put(sealed.get(i), Emails.canonical(sent.get(i)));
            }
        }
        if (!stored.stream().allMatch(value -> value == null || clear.containsKey(value))) {
            return shown(orgId, stored);
        }
        return Mono.just(value -> {
            if (value == null) {
                return null;
            }
            return erasedSubjects.contains(PersonalData.digest(value)) ? ErasedAddresses.ERASED : clear.get(value);
        });
    }

    /**
     * After seats were assigned or transferred to sealed addresses: revokes those whose subject was erased while the
     * command was under way (the erasure may have looked for the subject's seats before they were stored), so that an
     * erased subject keeps no seat whatever the interleaving. Either the erasure's key destruction is seen here, or it
     * came after the seat was stored and the erasure itself finds the seat. Answers the digests of the subjects found
     * erased.
     */
    public Mono<Set<String>> revokeIfErasedMeanwhile(String orgId, Collection<SeatState> seats, AuditMetadata requester) {
        Map<String, SeatState> bySubject = new HashMap<>();
        for (SeatState seat : seats) {
            if (PersonalData.isSealed(seat.email())) {
                bySubject.put(seat.seatId(), seat);
            }
        }
        if (bySubject.isEmpty()) {
            return Mono.just(Set.of());
        }
        return Mono.fromCallable(() -> {
            Set<String> destroyed = keys.destroyedAmong(orgId, bySubject.values().stream().map(seat -> PersonalData.digest(seat.email())).toList());
            for (SeatState seat : bySubject.values()) {
                if (destroyed.contains(PersonalData.digest(seat.email()))) {
                    erasures.revokeErasedMeanwhile(orgId, seat.poolId(), seat.seatId(), requester);
                }
            }
            return destroyed;
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
