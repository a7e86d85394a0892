package io.seatledger.api.http;

import io.seatledger.messages.common.PlainText;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The caller's reason for a change ({@value #HEADER} on a POST, PUT, PATCH or DELETE): checked before anything
 * is done (percent-encoded UTF-8 as in URLs, since HTTP header values are ASCII; at most {@value #MAX_LENGTH}
 * characters, no control characters; else 400 and nothing stored), normalized to NFC, and carried by the
 * request's commands into their events' metadata, so that history and audit entries say why.
 */
@Component
public class ChangeReasons implements WebFilter {

    public static final String HEADER = "Seat-Ledger-Reason";
    static final int MAX_LENGTH = 500;
    private static final String ATTRIBUTE = ChangeReasons.class.getName();
    private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    /** The request's reason, or an empty one. */
    public static String of(ServerWebExchange exchange) {
        String reason = exchange.getAttribute(ATTRIBUTE);
        return reason == null ? "" : reason;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String header = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (header != null && CHANGES.contains(exchange.getRequest().getMethod())) {
            exchange.getAttributes().put(ATTRIBUTE, parse(header));
        }
        return chain.filter(exchange);
    }

    /** The header percent-decoded (a literal {@code %} is {@code %25}; {@code +} stays a plus) as UTF-8, and checked. */
    static String parse(String header) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length());
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '%') {
                int high = i + 2 < header.length() ? Character.digit(header.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(header.charAt(i + 2), 16);
                if (low < 0) {
                    throw new InvalidRequest(HEADER, "must be percent-encoded UTF-8 ('%' followed by two hex digits; a literal '%' is %25)");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        String reason;
        try {
            reason = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new InvalidRequest(HEADER, "must be percent-encoded UTF-8");
        }
        reason = PlainText.nfc(reason.strip());
        if (reason.codePointCount(0, reason.length()) > MAX_LENGTH) {
            throw new InvalidRequest(HEADER, "must be at most " + MAX_LENGTH + " characters");
        }
        if (!PlainText.isPlain(reason)) {
            throw new InvalidRequest(HEADER, "must not contain control characters");
        }
        return reason;
    }
}
