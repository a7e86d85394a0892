package io.seatledger.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seatledger.messages.common.ErrorCode;

import java.net.URI;
import java.util.List;

/** An {@code application/problem+json} body (RFC 9457) with the contract's stable {@code code}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String code, List<FieldError> errors) {

    public static final String TYPE_BASE = "https://seatledger.io/problems/";

    public record FieldError(String field, String message) {
    }

    public static Problem of(ErrorCode code, String detail) {
        return of(code, detail, null);
    }

    public static Problem of(ErrorCode code, String detail, List<FieldError> errors) {
        return new Problem(URI.create(TYPE_BASE + code.name().toLowerCase().replace('_', '-')), title(code), code.httpStatus(), detail,
                code.name(), errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    /** A failure of ours, not the caller's: the one problem without a contract code of its own. */
    public static Problem internal(String requestId) {
        return new Problem(URI.create(TYPE_BASE + "internal-error"), "Internal error", 500,
                "the request failed on our side; quote request id " + requestId, "INTERNAL_ERROR", null);
    }

    private static String title(ErrorCode code) {
        return switch (code) {
            case VALIDATION_FAILED -> "Invalid request";
            case UNAUTHENTICATED -> "Authentication required";
            case FORBIDDEN -> "Not allowed";
            case NOT_FOUND -> "Not found";
            case SEAT_CAPACITY_EXCEEDED -> "No seat left in the pool";
            case SEAT_ALREADY_ASSIGNED -> "Seat already assigned";
            case INVALID_SEAT_STATE -> "Seat is not in a state that allows this";
            case RESIZE_BELOW_OCCUPIED -> "Resize below the seats in use";
            case POOL_NOT_RESIZABLE -> "Pool cannot be resized";
            case POOL_NOT_ACTIVE -> "Pool is not active";
            case INVITATION_INVALID -> "Invitation not valid";
            case INVITATION_EXPIRED -> "Invitation expired";
            case EMAIL_MISMATCH -> "Invitation is for another e-mail address";
            case IDEMPOTENCY_KEY_REUSED -> "Idempotency key reused with another request";
            case PAYLOAD_TOO_LARGE -> "Request body too large";
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
            case RATE_LIMITED -> "Too many requests";
            case UNAVAILABLE -> "Temporarily unavailable";
        };
    }
}
