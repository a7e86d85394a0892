package io.seatledger.command.seatpool;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.common.UserIds;

import java.util.Arrays;
import java.util.Locale;

/**
 * Every way a seat pool refuses a command, each with the stable code clients act on and the message people read,
 * so a code never travels without its wording and the pool's refusals can be read in one place. A message with
 * {@code %s}/{@code %d} takes its details when raised; an enum detail is named in lower case.
 */
enum Rejection {

    CONTROL_CHARACTERS_IN_METADATA(ErrorCode.VALIDATION_FAILED, "the command's metadata must not contain control characters"),
    NO_SUCH_POOL(ErrorCode.NOT_FOUND, "no such seat pool"),
    NO_SUCH_SEAT(ErrorCode.NOT_FOUND, "no such seat"),
    POOL_IS(ErrorCode.POOL_NOT_ACTIVE, "the pool is %s"),

    POOL_EXISTS(ErrorCode.VALIDATION_FAILED, "a pool with this id already exists"),
    POOL_ID_NOT_UUID(ErrorCode.VALIDATION_FAILED, "poolId must be a UUID"),
    KIND_REQUIRED(ErrorCode.VALIDATION_FAILED, "kind is required"),
    NO_SEATS(ErrorCode.VALIDATION_FAILED, "seats must be at least 1"),
    PRICING_REQUIRED(ErrorCode.VALIDATION_FAILED, "pricing is required"),
    SUBSCRIPTION_WITHOUT_INTERVAL(ErrorCode.VALIDATION_FAILED, "a subscription needs an interval (month or year)"),
    ORDER_WITH_INTERVAL(ErrorCode.VALIDATION_FAILED, "an order is paid once and has no interval"),

    ASSIGNING_IN_INACTIVE_POOL(ErrorCode.POOL_NOT_ACTIVE, "seats can only be assigned in an active pool; this one is %s"),
    SEAT_MALFORMED(ErrorCode.VALIDATION_FAILED, "the seat needs a valid e-mail address and at most " + SeatMetadata.MAX_ENTRIES
            + " metadata entries (keys up to " + SeatMetadata.MAX_KEY_LENGTH + " characters, values up to " + SeatMetadata.MAX_VALUE_LENGTH
            + "), none with control characters; a seat claimed at once needs the holder's userId (1 to " + UserIds.MAX_LENGTH
            + " characters, no control characters), an invitation takes none"),
    SEAT_ID_TAKEN(ErrorCode.INVALID_SEAT_STATE, "the seat id is taken"),
    ADDRESS_OR_HOLDER_TAKEN(ErrorCode.SEAT_ALREADY_ASSIGNED,
            "that address already holds a pending or claimed seat in this pool, or that user a claimed one"),
    POOL_FULL(ErrorCode.SEAT_CAPACITY_EXCEEDED, "every seat of the pool is taken"),
    BULK_SIZE(ErrorCode.VALIDATION_FAILED, "a bulk assignment holds 1 to %d seats"),

    RESEND_NOT_PENDING(ErrorCode.INVALID_SEAT_STATE, "only a pending seat's invitation can be resent"),
    INVITATION_UNKNOWN(ErrorCode.INVITATION_INVALID, "this invitation is unknown or was already used"),
    CLAIM_OUT_OF_SERVICE(ErrorCode.POOL_NOT_ACTIVE, "a seat can only be claimed in an active pool, or one past due within its grace period"),
    INVITATION_EXPIRED(ErrorCode.INVITATION_EXPIRED, "this invitation expired"),
    EMAIL_MISMATCH(ErrorCode.EMAIL_MISMATCH, "this invitation was sent to another e-mail address"),
    CLAIM_WITHOUT_USER(ErrorCode.VALIDATION_FAILED, "a claim needs the claiming user's id"),
    USER_HOLDS_SEAT(ErrorCode.SEAT_ALREADY_ASSIGNED, "this user already holds a seat in this pool"),
    SEAT_ALREADY_ENDED(ErrorCode.INVALID_SEAT_STATE, "the seat is already %s"),
    TRANSFER_NOT_IN_USE(ErrorCode.INVALID_SEAT_STATE, "only a pending or claimed seat can be transferred"),
    TRANSFER_MALFORMED(ErrorCode.VALIDATION_FAILED, "the transfer needs a valid e-mail address"),
    NEW_SEAT_ID_TAKEN(ErrorCode.INVALID_SEAT_STATE, "the new seat id is taken"),
    ADDRESS_HOLDS_SEAT(ErrorCode.SEAT_ALREADY_ASSIGNED, "that address already holds a seat in this pool"),

    ORDER_NOT_RESIZABLE(ErrorCode.POOL_NOT_RESIZABLE, "an order is fixed; buy another pool instead"),
    RESIZE_MALFORMED(ErrorCode.VALIDATION_FAILED, "a resize needs seats of at least 1, a timing and a proration behaviour"),
    SUSPENDED_POOL_GROWING(ErrorCode.POOL_NOT_ACTIVE, "the pool is suspended until its payment is settled: it may shrink, not grow"),
    RESIZE_BELOW_OCCUPIED(ErrorCode.RESIZE_BELOW_OCCUPIED, "%d seats are fewer than the %d pending and claimed ones; revoke seats first"),
    RESIZE_AWAITING_STRIPE(ErrorCode.POOL_NOT_RESIZABLE, "a previous resize still waits for Stripe"),

    ORDER_HAS_NO_INTERVAL(ErrorCode.POOL_NOT_RESIZABLE, "an order is paid once and has no billing interval"),
    INTERVAL_CHANGES_IN_STRIPE(ErrorCode.POOL_NOT_RESIZABLE,
            "a pool billed by Stripe changes its interval in Stripe (customer portal or dashboard); the pool follows"),
    INTERVAL_MALFORMED(ErrorCode.VALIDATION_FAILED, "interval must be month or year"),
    GRACE_END_REQUIRED(ErrorCode.VALIDATION_FAILED, "graceEndsAt is required"),
    ORDER_HAS_NO_PERIOD(ErrorCode.VALIDATION_FAILED, "an order has no period to end; cancel it now"),

    CHECKOUT_SESSION_REQUIRED(ErrorCode.VALIDATION_FAILED, "checkoutSessionId is required"),
    NOT_BOUGHT_IN_CHECKOUT(ErrorCode.VALIDATION_FAILED, "only a pool bought through Stripe Checkout is paid in a checkout session"),
    PROVIDER_STATE_REQUIRED(ErrorCode.VALIDATION_FAILED, "the provider's state is required"),
    ACTIVATION_WITHOUT_PERIOD(ErrorCode.VALIDATION_FAILED, "a subscription is activated with its first billing period"),
    NEGATIVE_QUANTITY(ErrorCode.VALIDATION_FAILED, "a quantity must not be negative"),
    PAYMENT_MALFORMED(ErrorCode.VALIDATION_FAILED, "a payment needs its charge id, amounts of at least 0, and a dispute's id with its status");

    private final ErrorCode code;
    private final String message;

    Rejection(ErrorCode code, String message) {
        this.code = code;
        this.message = message;
    }

    ErrorCode code() {
        return code;
    }

    /** The message with its details filled in. */
    String message(Object... details) {
        if (details.length == 0) {
            return message;
        }
        Object[] named = Arrays.stream(details).map(detail -> detail instanceof Enum<?> constant ? constant.name().toLowerCase() : detail).toArray();
        return String.format(Locale.ROOT, message, named);
    }

    /** The refusal to throw from a handler. */
    SeatLedgerException exception(Object... details) {
        return new SeatLedgerException(code, message(details));
    }
}
