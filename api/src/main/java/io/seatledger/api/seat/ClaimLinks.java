package io.seatledger.api.seat;

import io.seatledger.api.settings.SeatLedgerProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Where an invitee claims a seat. The link starts with the service's public address
 * ({@code seatledger.public-base-url}), never with the request's {@code Host} header, which whoever sends the
 * request chooses. Without that setting, the address a proxy forwarded is used only when forwarded headers are
 * trusted ({@code server.forward-headers-strategy} native or framework); otherwise {@code http://localhost} on the
 * port the request arrived at, the embedded default.
 */
@Component
public class ClaimLinks {

    private final String publicBaseUrl;
    private final boolean forwardedHeadersTrusted;

    @Autowired
    public ClaimLinks(SeatLedgerProperties settings, @Value("${server.forward-headers-strategy:none}") String forwardHeadersStrategy) {
        this(settings.publicBaseUrl(), forwardHeadersStrategy);
    }

    ClaimLinks(String publicBaseUrl, String forwardHeadersStrategy) {
        this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : checked(publicBaseUrl.strip());
        this.forwardedHeadersTrusted = !forwardHeadersStrategy.isBlank() && !"none".equals(forwardHeadersStrategy.strip().toLowerCase(Locale.ROOT));
    }

    public String claimUrl(ServerHttpRequest request, String token) {
        return UriComponentsBuilder.fromUriString(base(request)).path("/api/v1/invitations/{token}/claim").buildAndExpand(token).toUriString();
    }

    private String base(ServerHttpRequest request) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        if (forwardedHeadersTrusted) {
            URI forwarded = request.getURI();
            return UriComponentsBuilder.newInstance().scheme(forwarded.getScheme()).host(forwarded.getHost()).port(forwarded.getPort()).toUriString();
        }
        InetSocketAddress local = request.getLocalAddress();
        return "http://localhost" + (local == null ? "" : ":" + local.getPort());
    }

    private static String checked(String url) {
        URI uri = URI.create(url);
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new IllegalArgumentException("seatledger.public-base-url must be an absolute http(s) URL without query, such as https://seats.example.com");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
