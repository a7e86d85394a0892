package io.seatledger.api.http;

import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.PlainText;
import org.springframework.web.server.ServerWebExchange;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Small readers of request values shared by the controllers. */
public final class RequestValues {

    private RequestValues() {
    }

    /** A query parameter naming an enum value in the contract's lower case; absent is null. */
    public static <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(field, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** An ISO-8601 instant from a query parameter; absent is null. */
    public static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequest(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    /** Notes an error when free text holds a control character (see {@link PlainText}); absent is not an error here. */
    public static void requirePlain(List<Problem.FieldError> errors, String field, String text) {
        if (!PlainText.isPlain(text)) {
            errors.add(new Problem.FieldError(field, "must not contain control characters"));
        }
    }

    /** Notes an error unless the value is an e-mail address without control characters. */
    public static void requireEmail(List<Problem.FieldError> errors, String field, String email) {
        if (!PlainText.isPlain(email)) {
            errors.add(new Problem.FieldError(field, "must not contain control characters"));
        } else if (!Emails.isValid(email)) {
            errors.add(new Problem.FieldError(field, "must be an e-mail address"));
        }
    }

    /**
     * The id of something this request creates. Under an {@code Idempotency-Key} it is derived from the
     * keyed request's id, so a retry that reaches the write model again names the same pool or seat.
     */
    public static String newId(ServerWebExchange exchange, String purpose) {
        String keyedRequest = Idempotency.requestIdOf(exchange);
        if (keyedRequest == null) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes((keyedRequest + "\n" + purpose).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
