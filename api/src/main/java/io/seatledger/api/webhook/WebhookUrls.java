package io.seatledger.api.webhook;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which URLs webhooks may be sent to: {@code http} or {@code https}, without user information, to a host whose every
 * address is public. Loopback, private, link-local, shared (CGNAT), unique-local and reserved addresses are refused
 * (400 {@code WEBHOOK_URL_REFUSED}), so that a tenant cannot make the service call into its own network (SSRF). Checked
 * when an endpoint is registered, and again on every connection ({@link PublicAddressResolver}), since a name may
 * resolve elsewhere later (DNS rebinding). {@code seatledger.webhooks.allow-private-addresses} turns the address
 * check off.
 */
public final class WebhookUrls {

    static final int MAX_LENGTH = 2048;

    private final AtomicBoolean allowPrivate;

    public WebhookUrls(boolean allowPrivate) {
        this.allowPrivate = new AtomicBoolean(allowPrivate);
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivate.get();
    }

    /** Changes the setting while the service runs: for tests that attack the default. */
    public void allowPrivateAddresses(boolean allow) {
        allowPrivate.set(allow);
    }

    /** The URL, parsed and checked for its form (not its addresses); refused with {@code WEBHOOK_URL_REFUSED}. */
    static URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_LENGTH) {
            throw refused("url must be an absolute http(s) URL of at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw refused("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("url must use http or https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw refused("url has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("url must not carry user information");
        }
        if (uri.getRawFragment() != null) {
            throw refused("url must not have a fragment");
        }
        return uri;
    }

    /** Refuses the URL unless its host resolves, and only to addresses this setting allows. Blocks on DNS. */
    void check(URI uri) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host(uri));
        } catch (UnknownHostException e) {
            throw refused("url: the host does not resolve");
        }
        for (InetAddress address : addresses) {
            checkAddress(address);
        }
    }

    /** Refuses an address this setting does not allow. */
    void checkAddress(InetAddress address) {
        if (!allowPrivate.get() && !isPublic(address)) {
            throw refused("url: " + address.getHostAddress() + " is a private, loopback or link-local address");
        }
    }

    /** The host as {@link InetAddress} takes it (an IPv6 literal without its brackets). */
    static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static SeatLedgerException refused(String why) {
        return new SeatLedgerException(ErrorCode.WEBHOOK_URL_REFUSED, why);
    }

    /** Whether an address is one on the public internet, reachable by anyone. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(bytes, 0);
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7, unique local
            }
            if (first == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
                return false; // fec0::/10, site local (deprecated)
            }
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= bytes[i] == 0;
            }
            if (zeroPrefix && ((bytes[10] == 0 && bytes[11] == 0) || (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff))) {
                return isPublicV4(bytes, 12); // IPv4-compatible or IPv4-mapped: the IPv4 address decides
            }
            if (first == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b) {
                return isPublicV4(bytes, 12); // 64:ff9b::/96, NAT64
            }
            if (first == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && (bytes[3] & 0xff) == 0xb8) {
                return false; // 2001:db8::/32, documentation
            }
            return true;
        }
        return false;
    }

    private static boolean isPublicV4(byte[] bytes, int at) {
        int a = bytes[at] & 0xff;
        int b = bytes[at + 1] & 0xff;
        int c = bytes[at + 2] & 0xff;
        return !(a == 0 || a == 10 || a == 127 || a >= 224
                || (a == 100 && (b & 0xc0) == 64)         // 100.64.0.0/10, shared (carrier-grade NAT)
                || (a == 169 && b == 254)                 // link local (cloud metadata)
                || (a == 172 && (b & 0xf0) == 16)
                || (a == 192 && b == 168)
                || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF protocol assignments, documentation
                || (a == 198 && (b == 18 || b == 19))     // benchmarking
                || (a == 198 && b == 51 && c == 100)
                || (a == 203 && b == 0 && c == 113));
    }
}
