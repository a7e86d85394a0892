package io.seatledger.api.seat;

import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Problem.FieldError;
import io.seatledger.api.http.RequestValues;
import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.common.UserIds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The bodies of the seat requests and their shape rules. */
final class SeatRequests {

    private SeatRequests() {
    }

    /** One seat; {@code userId} names the holder of a seat claimed at once and is refused otherwise. */
    record Assign(String email, Boolean immediateClaim, String userId, Map<String, String> metadata) {
        void validate() {
            List<FieldError> errors = new ArrayList<>();
            RequestValues.requireEmail(errors, "email", email);
            if (claimAtOnce() && !UserIds.isValid(userId)) {
                errors.add(new FieldError("userId", "is required with immediateClaim: the holder's user id, 1 to " + UserIds.MAX_LENGTH
                        + " characters, no control characters"));
            } else if (!claimAtOnce() && userId != null) {
                errors.add(new FieldError("userId", "is only taken with immediateClaim: true; an invited seat gets its holder when claimed"));
            }
            if (metadata != null) {
                metadata.forEach((key, value) -> {
                    if (!PlainText.isPlain(key)) {
                        errors.add(new FieldError("metadata", "keys must not contain control characters"));
                    } else {
                        RequestValues.requirePlain(errors, "metadata." + key, value);
                    }
                });
            }
            reject(errors);
        }

        boolean claimAtOnce() {
            return Boolean.TRUE.equals(immediateClaim);
        }
    }

    record Bulk(List<Assign> seats, Boolean atomic) {
        void validate(int maxSeats) {
            if (seats == null || seats.isEmpty() || seats.size() > maxSeats) {
                throw new InvalidRequest("seats", "must hold 1 to " + maxSeats + " seats");
            }
            validateRows(seats);
        }

        /** All or none unless the request says otherwise. */
        boolean allOrNone() {
            return atomic == null || atomic;
        }
    }

    record Transfer(String email) {
        void validate() {
            List<FieldError> errors = new ArrayList<>();
            RequestValues.requireEmail(errors, "email", email);
            reject(errors);
        }
    }

    /** Rows of a bulk request that are not even seats (null) are refused as a whole; other row problems are per row. */
    static void validateRows(List<Assign> seats) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < seats.size() && errors.size() < 20; i++) {
            if (seats.get(i) == null) {
                errors.add(new FieldError("seats[" + i + "]", "must be a seat object"));
            }
        }
        reject(errors);
    }

    private static void reject(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
    }
}
