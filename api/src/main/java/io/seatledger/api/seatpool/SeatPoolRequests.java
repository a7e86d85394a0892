package io.seatledger.api.seatpool;

import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Problem.FieldError;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.ProrationBehavior;
import io.seatledger.messages.seatpool.ResizeTiming;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The bodies of the seat-pool requests, and the shape rules the API checks before any command is sent. */
public final class SeatPoolRequests {

    private SeatPoolRequests() {
    }

    public record Purchase(PoolKind kind, Integer seats, Pricing pricing, BillingInterval interval) {
        public void validate(int maxSeats) {
            List<FieldError> errors = new ArrayList<>();
            if (kind == null) {
                errors.add(new FieldError("kind", "is required: subscription or order"));
            }
            checkSeats(errors, seats, maxSeats);
            if (pricing == null) {
                errors.add(new FieldError("pricing", "is required"));
            }
            if (kind == PoolKind.SUBSCRIPTION && interval == null) {
                errors.add(new FieldError("interval", "a subscription needs month or year"));
            }
            if (kind == PoolKind.ORDER && interval != null) {
                errors.add(new FieldError("interval", "an order is paid once and has no interval"));
            }
            reject(errors);
        }
    }

    record Resize(Integer seats, ResizeTiming effective, ProrationBehavior prorationBehavior) {
        void validate(int maxSeats) {
            checkResize(seats, effective, maxSeats);
        }

        ProrationBehavior proration() {
            return prorationBehavior == null ? ProrationBehavior.CREATE_PRORATIONS : prorationBehavior;
        }
    }

    record Preview(Integer seats, ResizeTiming effective, Instant at) {
        void validate(int maxSeats) {
            checkResize(seats, effective, maxSeats);
        }
    }

    record IntervalChange(BillingInterval interval) {
        void validate() {
            if (interval == null) {
                throw new InvalidRequest("interval", "is required: month or year");
            }
        }
    }

    record Cancellation(Boolean atPeriodEnd) {
        void validate() {
            if (atPeriodEnd == null) {
                throw new InvalidRequest("atPeriodEnd", "is required: true or false");
            }
        }
    }

    /** A resize and its preview ask the same: how many seats, and when. */
    private static void checkResize(Integer seats, ResizeTiming effective, int maxSeats) {
        List<FieldError> errors = new ArrayList<>();
        checkSeats(errors, seats, maxSeats);
        if (effective == null) {
            errors.add(new FieldError("effective", "is required: now or period_end"));
        }
        reject(errors);
    }

    private static void checkSeats(List<FieldError> errors, Integer seats, int maxSeats) {
        if (seats == null || seats < 1 || seats > maxSeats) {
            errors.add(new FieldError("seats", "must be between 1 and " + maxSeats));
        }
    }

    private static void reject(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
    }
}
