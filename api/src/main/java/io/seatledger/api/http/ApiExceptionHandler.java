package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.Rejection;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.common.TryAgainLater;
import io.seatledger.projections.StoreOutage;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.messaging.RemoteHandlingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Every failure becomes an {@code application/problem+json} answer with a stable code: refused commands
 * with their business code, bad input as 400/413/415, outages as 503. Outages and refusals a retry may pass
 * ({@link TryAgainLater}) carry {@code Retry-After}. Only our own bugs are 500, logged once with the request
 * id and the exception's type (never its message: it may carry personal data).
 */
@Component
@Order(-2)
public class ApiExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** SQLSTATE classes of a database that is away or overloaded (connection, resources, operator intervention, system). */
    private final ProblemResponses problems;
    private final DataSize bodyLimit;

    public ApiExceptionHandler(ProblemResponses problems, @Value("${spring.codec.max-in-memory-size}") DataSize bodyLimit) {
        this.problems = problems;
        this.bodyLimit = bodyLimit;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        Problem problem = problemFor(exchange, failure);
        TryAgainLater later = cause(failure, TryAgainLater.class);
        if (later != null) {
            problems.retryAfter(exchange, later.retryAfter());
        }
        return problems.write(exchange, problem);
    }

    public Problem problemFor(ServerWebExchange exchange, Throwable failure) {
        if (failure instanceof InvalidRequest invalid) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, invalid.getMessage(), invalid.errors());
        }
        if (failure instanceof SeatLedgerException refused) {
            return Problem.of(refused.code(), refused.getMessage());
        }
        Optional<Rejection> rejection = Rejection.behind(failure);
        if (rejection.isPresent() && failure instanceof ServerWebInputException input) {
            return invalidInput(input);
        }
        if (rejection.isPresent()) {
            return Problem.of(rejection.get().code(), rejection.get().detail());
        }
        if (causedBy(failure, DataBufferLimitException.class)) {
            return Problem.of(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the limit of " + bodyLimit.toBytes() + " bytes");
        }
        if (failure instanceof UnsupportedMediaTypeStatusException unsupported) {
            return Problem.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + unsupported.getContentType()
                    + " is not accepted here; send one of " + unsupported.getSupportedMediaTypes());
        }
        if (failure instanceof WebExchangeBindException binding) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "invalid request", binding.getFieldErrors().stream()
                    .map(error -> new Problem.FieldError(error.getField(), error.getDefaultMessage())).toList());
        }
        if (failure instanceof ServerWebInputException input) {
            return invalidInput(input);
        }
        if (failure instanceof NotAcceptableStatusException notAcceptable) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "the Accept header asks for a representation this path does not offer; it offers "
                    + notAcceptable.getSupportedMediaTypes());
        }
        if (failure instanceof MethodNotAllowedException) {
            return Problem.of(ErrorCode.NOT_FOUND, "no such operation on this path");
        }
        if (failure instanceof AuthenticationException) {
            return Problem.of(ErrorCode.UNAUTHENTICATED, "a valid bearer token is required");
        }
        if (failure instanceof AccessDeniedException) {
            return Problem.of(ErrorCode.FORBIDDEN, "not allowed");
        }
        if (failure instanceof ResponseStatusException status && status.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
            return Problem.of(ErrorCode.NOT_FOUND, "no such resource");
        }
        if (isOutage(failure)) {
            inRequest(log.atWarn(), exchange).log("request {} failed on an unavailable dependency: {}", RequestIds.of(exchange), failure.getClass().getName());
            return Problem.of(ErrorCode.UNAVAILABLE, "a dependency is temporarily unavailable; retry later");
        }
        inRequest(log.atError(), exchange).log("request {} {} failed: {} at {}", RequestIds.of(exchange), LoggedPaths.of(exchange.getRequest()),
                failure.getClass().getName(), topFrame(failure));
        return Problem.internal();
    }

    /** The request id and the organization named by the path, as fields of a structured (JSON) log line. */
    private static org.slf4j.spi.LoggingEventBuilder inRequest(org.slf4j.spi.LoggingEventBuilder line, ServerWebExchange exchange) {
        java.util.Map<String, String> variables = exchange.getAttribute(org.springframework.web.reactive.HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        line = line.addKeyValue("requestId", RequestIds.of(exchange));
        return variables != null && variables.get("orgId") != null ? line.addKeyValue("orgId", variables.get("orgId")) : line;
    }

    private static Problem invalidInput(ServerWebInputException input) {
        if (input instanceof MissingRequestValueException missing) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "missing " + missing.getLabel() + " " + missing.getName(),
                    List.of(new Problem.FieldError(missing.getName(), "is required")));
        }
        JacksonException json = cause(input, JacksonException.class);
        SeatLedgerException refused = cause(input, SeatLedgerException.class);
        if (refused != null) {
            // a value's own rules, e.g. pricing's caps, checked while the body is read
            String field = json == null ? "" : fieldOf(json);
            return Problem.of(refused.code(), refused.getMessage(), List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, refused.getMessage())));
        }
        if (json == null) {
            DecodingException decoding = cause(input, DecodingException.class);
            String reason = input.getReason() == null ? "invalid request" : input.getReason();
            if (decoding != null || reason.contains("body")) {
                return Problem.of(ErrorCode.VALIDATION_FAILED, "the request body is missing or not valid JSON");
            }
            return Problem.of(ErrorCode.VALIDATION_FAILED, reason);
        }
        String field = fieldOf(json);
        if (json instanceof UnrecognizedPropertyException unknown) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "unknown field " + unknown.getPropertyName(),
                    List.of(new Problem.FieldError(field, "is not a field of this request")));
        }
        if (json instanceof InvalidFormatException format) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "wrong value for " + field,
                    List.of(new Problem.FieldError(field, "cannot be read as " + simpleType(format.getTargetType()))));
        }
        if (json instanceof MismatchedInputException mismatched) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "wrong type for " + (field.isEmpty() ? "the body" : field),
                    List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, "must be " + simpleType(mismatched.getTargetType()))));
        }
        if (json instanceof StreamReadException) {
            return Problem.of(ErrorCode.VALIDATION_FAILED, "the request body is not valid JSON");
        }
        return Problem.of(ErrorCode.VALIDATION_FAILED, "the request body does not match this request's shape");
    }

    /** The JSON path of the value a parse failed at, e.g. {@code seats[2].email}. */
    private static String fieldOf(JacksonException json) {
        return json.getPath().stream()
                .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(value -> value.toString().toLowerCase()).toList();
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static boolean isOutage(Throwable failure) {
        return StoreOutage.causedBy(failure) || causedBy(failure, TimeoutException.class)
                || causedBy(failure, io.r2dbc.spi.R2dbcNonTransientResourceException.class)
                || causedBy(failure, io.r2dbc.spi.R2dbcTransientException.class)
                || causedBy(failure, org.springframework.data.redis.RedisConnectionFailureException.class)
                || causedBy(failure, NoHandlerForCommandException.class) || causedBy(failure, RemoteHandlingException.class)
                || r2dbcStoreWentAway(failure);
    }

    /** An R2DBC error whose SQLSTATE says the server is away or busy, as a JDBC one would ({@link StoreOutage#transientState}). */
    private static boolean r2dbcStoreWentAway(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String state = cause instanceof io.r2dbc.spi.R2dbcException r2dbc ? r2dbc.getSqlState() : null;
            if (StoreOutage.transientState(state)) {
                return true;
            }
        }
        return false;
    }

    private static String topFrame(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        return cause(failure, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
