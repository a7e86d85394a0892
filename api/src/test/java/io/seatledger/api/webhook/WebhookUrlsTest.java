package io.seatledger.api.webhook;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which addresses count as public, and which URL forms are refused before any lookup. */
class WebhookUrlsTest {

    @Test
    void onlyPublicAddressesArePublic() throws Exception {
        for (String address : List.of("93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e")) {
            assertThat(WebhookUrls.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
        for (String address : List.of("127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "100.127.255.255", "224.0.0.1", "255.255.255.255", "192.0.0.8", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
                "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::a00:1", "2001:db8::1", "fec0::1", "ff02::1")) {
            assertThat(WebhookUrls.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("172.32.0.1"))).isTrue();
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("100.128.0.1"))).isTrue();
    }

    @Test
    void refusesUrlsThatAreNotPlainHttpOrHttps() {
        for (String url : List.of("ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "http://user:pw@example.com/", "http:///nohost",
                "https://example.com/#fragment", "javascript:alert(1)", "", " ", "http://exa mple.com/", "https://" + "a".repeat(2050) + ".com/")) {
            assertThatThrownBy(() -> WebhookUrls.parse(url)).as(url).isInstanceOfSatisfying(SeatLedgerException.class,
                    refused -> assertThat(refused.code()).isEqualTo(ErrorCode.WEBHOOK_URL_REFUSED));
        }
        assertThat(WebhookUrls.parse("https://hooks.example.com:8443/seat-ledger?tenant=acme")).isEqualTo(URI.create("https://hooks.example.com:8443/seat-ledger?tenant=acme"));
    }

    @Test
    void theAddressCheckIsOffOnlyWhenAllowed() throws Exception {
        WebhookUrls strict = new WebhookUrls(false);
        assertThatThrownBy(() -> strict.checkAddress(InetAddress.getByName("10.1.2.3"))).isInstanceOf(SeatLedgerException.class);
        assertThatThrownBy(() -> strict.check(URI.create("http://localhost/"))).isInstanceOf(SeatLedgerException.class);
        new WebhookUrls(true).checkAddress(InetAddress.getByName("10.1.2.3"));
        strict.checkAddress(InetAddress.getByName("93.184.216.34"));
    }
}
