package io.seatledger.client;

import java.time.Duration;
import java.util.List;

/**
 * The service refused a call with an {@code application/problem+json} answer: its stable {@link #code()}, HTTP status,
 * detail, the request id to quote to support, the field errors of a validation failure and, for 429 and 503, when
 * to try again. Answers that are not problems (a proxy's HTML page) are mapped to the code their status implies.
 */
public class SeatLedgerProblem extends SeatLedgerException {

    /** A field the service found invalid. */
    public record FieldError(String field, String message) {
    }

    private final ProblemCode code;
    private final String rawCode;
    private final int status;
    private final String detail;
    private final String requestId;
    private final List<FieldError> errors;
    private final Duration retryAfter;

    public SeatLedgerProblem(ProblemCode code, String rawCode, int status, String detail, String requestId, List<FieldError> errors,
                             Duration retryAfter) {
        super(status + " " + rawCode + (detail == null ? "" : ": " + detail) + (requestId == null ? "" : " [request " + requestId + "]"), null);
        this.code = code;
        this.rawCode = rawCode;
        this.status = status;
        this.detail = detail;
        this.requestId = requestId;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public ProblemCode code() {
        return code;
    }

    /** The code as the service wrote it (also for codes this client version does not know). */
    public String rawCode() {
        return rawCode;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    public String requestId() {
        return requestId;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The service's {@code Retry-After}, or null when it named none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
