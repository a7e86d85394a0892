package io.seatledger.api.security;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Problem.FieldError;
import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.UserIds;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.http.server.HttpServerRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/dev/tokens}: the embedded default's token issuer, for trying the API by hand and in
 * tests. It exists only with {@code seatledger.security.dev-tokens=true} and only for clients on this machine
 * (loopback); otherwise the path does not exist (404).
 */
@Tag(name = "Development", description = "Tokens for local development (only with the dev profile, only from this machine)")
@RestController
public class DevTokenController {

    public record TokenRequest(String sub, String org, String email, List<String> roles) {
    }

    public record TokenResponse(String token) {
    }

    private final ObjectProvider<DevTokens> devTokens;

    public DevTokenController(ObjectProvider<DevTokens> devTokens) {
        this.devTokens = devTokens;
    }

    @Operation(operationId = "issueDevToken", summary = "Issue a development token (dev profile, loopback only)",
            description = "Outside the dev profile, or from another machine, the route answers 404 as an unknown path does.")
    @ApiStatuses(problems = ErrorCode.VALIDATION_FAILED)
    @SecurityRequirements
    @PostMapping(path = "/api/v1/dev/tokens", consumes = "application/json")
    public TokenResponse issue(@RequestBody TokenRequest request, ServerHttpRequest http) {
        DevTokens tokens = devTokens.getIfAvailable();
        if (tokens == null || !fromThisMachine(http)) {
            throw new SeatLedgerException(ErrorCode.NOT_FOUND, "no such resource");
        }
        List<FieldError> errors = new ArrayList<>();
        if (!UserIds.isValid(request.sub())) {
            errors.add(new FieldError("sub", "is required (at most " + UserIds.MAX_LENGTH + " characters, no control characters)"));
        }
        if (request.org() != null && !io.seatledger.api.http.Ids.isOrganizationId(request.org())) {
            errors.add(new FieldError("org", io.seatledger.api.http.Ids.ORGANIZATION_ID_RULE));
        }
        if (request.email() != null && !Emails.isValid(request.email())) {
            errors.add(new FieldError("email", "must be an e-mail address"));
        }
        List<String> roles = request.roles() == null ? List.of() : request.roles();
        if (roles.stream().anyMatch(role -> role == null || !Caller.ROLES.contains(role))) {
            errors.add(new FieldError("roles", "may contain only " + Caller.ROLES));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new TokenResponse(tokens.issue(request.sub(), request.org(), request.email(), roles));
    }

    /**
     * The connection comes from this machine: its own peer address, never one taken from forwarded headers (which
     * the client writes), is a loopback one.
     */
    private static boolean fromThisMachine(ServerHttpRequest http) {
        return peer(http) instanceof InetSocketAddress client && client.getAddress() != null && client.getAddress().isLoopbackAddress();
    }

    private static SocketAddress peer(ServerHttpRequest http) {
        try {
            if (ServerHttpRequestDecorator.getNativeRequest(http) instanceof HttpServerRequest connection) {
                return connection.connectionRemoteAddress();
            }
        } catch (IllegalStateException | IllegalArgumentException noServerBehind) {
            // a request built in a test: only its stated address
        }
        return http.getRemoteAddress();
    }
}
