package io.seatledger.api.http;

import org.springframework.http.server.reactive.ServerHttpRequest;

import java.util.regex.Pattern;

/**
 * A request's path (still percent-encoded) as log lines may show it: an invitation's token, a bearer secret
 * that claims a seat, is replaced by {@code [token]}.
 */
public final class LoggedPaths {

    private static final Pattern INVITATION_TOKEN = Pattern.compile("^(/api/v1/invitations/)[^/]*");

    private LoggedPaths() {
    }

    public static String of(ServerHttpRequest request) {
        return INVITATION_TOKEN.matcher(request.getPath().value()).replaceFirst("$1[token]");
    }
}
