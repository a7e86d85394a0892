package io.seatledger.messages.common;

/** The stable error codes of the HTTP contract, with the status each one answers with. */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    SEAT_CAPACITY_EXCEEDED(409),
    SEAT_ALREADY_ASSIGNED(409),
    INVALID_SEAT_STATE(409),
    RESIZE_BELOW_OCCUPIED(409),
    POOL_NOT_RESIZABLE(409),
    POOL_NOT_ACTIVE(409),
    INVITATION_INVALID(404),
    INVITATION_EXPIRED(410),
    EMAIL_MISMATCH(403),
    SUBJECT_ERASED(409),
    IDEMPOTENCY_KEY_REUSED(422),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    WEBHOOK_URL_REFUSED(400),
    WEBHOOK_ENDPOINT_LIMIT_REACHED(409),
    RATE_LIMITED(429),
    UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
