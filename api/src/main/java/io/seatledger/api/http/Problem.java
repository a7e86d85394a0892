package io.seatledger.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seatledger.messages.common.ErrorCode;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * An {@code application/problem+json} body (RFC 9457) with the contract's stable {@code code}. {@code type} names
 * the code's section of docs/problems.md; {@code instance} and {@code requestId} name the request that failed and
 * {@code traceId} its trace (set by {@link ProblemResponses} as it answers, so every writer's problem carries them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, URI instance, String code, String requestId,
                      String traceId, List<FieldError> errors) {

    public static final String TYPE_BASE = "https://seatledger.io/problems/";
    /** The code of a failure of ours, the one problem without a contract code of its own. */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    public record FieldError(String field, String message) {
    }

    public static Problem of(ErrorCode code, String detail) {
        return of(code, detail, null);
    }

    public static Problem of(ErrorCode code, String detail, List<FieldError> errors) {
        return new Problem(type(code.name()), title(code), code.httpStatus(), detail, null, code.name(), null, null,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    /** A failure of ours, not the caller's: the client quotes the problem's {@code requestId} to support. */
    public static Problem internal() {
        return new Problem(type(INTERNAL_ERROR), "Internal error", 500,
                "the request failed on our side; quote the requestId when you report it", null, INTERNAL_ERROR, null, null, null);
    }

    /**
     * The problem type of a code: {@value #TYPE_BASE} and the code in lower case with hyphens, which is also the
     * anchor of the code's section in docs/problems.md.
     */
    public static URI type(String code) {
        return URI.create(TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /**
     * This problem as the answer to one request: {@code instance} {@code urn:uuid:<request id>}, {@code requestId}
     * and {@code traceId} (absent when the request is not traced).
     */
    public Problem forRequest(String requestId, String traceId) {
        return new Problem(type, title, status, detail, URI.create("urn:uuid:" + requestId), code, requestId, traceId, errors);
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
            case SUBJECT_ERASED -> "Address erased from this organization";
            case IDEMPOTENCY_KEY_REUSED -> "Idempotency key reused with another request";
            case PAYLOAD_TOO_LARGE -> "Request body too large";
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
            case WEBHOOK_URL_REFUSED -> "Webhook URL refused";
            case WEBHOOK_ENDPOINT_LIMIT_REACHED -> "Too many webhook endpoints";
            case RATE_LIMITED -> "Too many requests";
            case UNAVAILABLE -> "Temporarily unavailable";
        };
    }
}
