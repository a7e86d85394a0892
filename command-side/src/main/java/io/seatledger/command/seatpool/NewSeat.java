package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.common.UserIds;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.SeatRequest;

import java.util.Map;

/**
 * A seat a manager asks for, alone or in a bulk assignment. A seat claimed at once names its holder's user id;
 * an invitation names none (whoever claims it is its holder).
 */
record NewSeat(String seatId, String email, boolean immediateClaim, String holderUserId, Map<String, String> metadata) {

    static NewSeat of(AssignSeat command) {
        return new NewSeat(command.seatId(), command.email(), command.immediateClaim(), command.holderUserId(), command.metadata());
    }

    static NewSeat of(SeatRequest request) {
        return new NewSeat(request.seatId(), request.email(), request.immediateClaim(), request.holderUserId(), request.metadata());
    }

    /** A valid address, a canonical UUID, metadata within its limits, and a holder exactly when claimed at once. */
    boolean isWellFormed() {
        return PersonalData.isValid(email) && Uuids.isCanonical(seatId) && SeatMetadata.isValid(metadata)
                && (immediateClaim ? UserIds.isValid(holderUserId) : holderUserId == null);
    }

    /** Whom the seat is for, as the pool compares addresses. */
    String subject() {
        return PersonalData.subject(email);
    }
}
