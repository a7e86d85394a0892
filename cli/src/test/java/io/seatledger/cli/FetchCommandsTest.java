package io.seatledger.cli;

import com.sun.net.httpserver.HttpServer;
import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.SigningKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetching commands against a stand-in for the API: the export resumes after the last whole entry when asked to
 * wait (429) or when the stream breaks inside an entry, so the file holds every entry once; checkpoints are fetched
 * page by page; keys are checked before they are kept; a refused token leaves no file.
 */
class FetchCommandsTest {

    @TempDir
    Path directory;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger exports = new AtomicInteger();
    private final List<CanonicalEntry> trail = Trails.trail(9);
    private List<String> lines;

    @BeforeEach
    void stub() throws IOException {
        lines = Files.readAllLines(Trails.ndjson(directory.resolve("source.ndjson"), trail));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().toString();
            requests.add(uri);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String body;
            int status = 200;
            if (uri.startsWith("/api/v1/orgs/org-1/audit/checkpoints")) {
                body = uri.contains("after=2") ? "{\"items\":[{\"checkpointId\":\"c3\"}],\"next\":null}"
                        : "{\"items\":[{\"checkpointId\":\"c1\"},{\"checkpointId\":\"c2\"}],\"next\":\"2\"}";
            } else if (uri.startsWith("/api/v1/orgs/org-1/audit")) {
                int attempt = exports.incrementAndGet();
                if (attempt == 1) {
                    exchange.getResponseHeaders().add("Retry-After", "0");
                    status = 429;
                    body = "{\"code\":\"RATE_LIMITED\"}";
                } else if (attempt == 2) {
                    // four whole entries, then the stream ends inside the fifth
                    body = String.join("\n", lines.subList(0, 4)) + "\n" + lines.get(4).substring(0, 40);
                } else {
                    assertThat(uri).endsWith("?after=" + trail.get(3).position());
                    body = String.join("\n", lines.subList(4, lines.size())) + "\n";
                }
            } else if (uri.equals("/api/v1/audit/keys")) {
                body = "{\"keys\":[" + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(SigningKeys.jwk(x())) + "]}";
            } else {
                status = 404;
                body = "{}";
            }
            if (uri.contains("org-2")) {
                status = 401;
                body = "{\"code\":\"UNAUTHENTICATED\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theExportResumesAfterTheLastWholeEntryAndHoldsEveryEntryOnce() throws Exception {
        Path out = directory.resolve("export.ndjson");
        int status = VerifyCommandTest.run("audit", "export", "--url", url(), "--org", "org-1", "--token", "secret", "--out", out.toString()).status();
        assertThat(status).isZero();
        assertThat(Files.readAllLines(out)).isEqualTo(lines);
        assertThat(exports.get()).isEqualTo(3);
        assertThat(authorizations).allMatch("Bearer secret"::equals);
        assertThat(VerifyCommandTest.run("audit", "verify", out.toString()).status()).isZero();
    }

    @Test
    void checkpointsAreFetchedPageByPageAndKeysAreChecked() throws Exception {
        Path checkpoints = directory.resolve("checkpoints.json");
        assertThat(VerifyCommandTest.run("audit", "checkpoints", "--url", url() + "/", "--org", "org-1", "--token", "t", "--out", checkpoints.toString())
                .status()).isZero();
        assertThat(Files.readString(checkpoints)).contains("\"orgId\" : \"org-1\"").contains("c1", "c2", "c3");
        assertThat(requests).contains("/api/v1/orgs/org-1/audit/checkpoints?limit=1000", "/api/v1/orgs/org-1/audit/checkpoints?limit=1000&after=2");

        Path keys = directory.resolve("keys.json");
        assertThat(VerifyCommandTest.run("audit", "keys", "--url", url(), "--out", keys.toString()).status()).isZero();
        assertThat(CheckpointFiles.keys(keys)).hasSize(1);
    }

    @Test
    void aRefusedRequestFailsAndLeavesNoFile() {
        Path out = directory.resolve("export.ndjson");
        VerifyCommandTest.Run run = VerifyCommandTest.run("audit", "export", "--url", url(), "--org", "org-2", "--token", "wrong", "--out", out.toString());
        assertThat(run.status()).isEqualTo(SeatLedgerCli.FAILED);
        assertThat(run.err()).contains("401");
        assertThat(directory.resolve("export.ndjson")).doesNotExist();
        assertThat(directory.resolve("export.ndjson.partial")).doesNotExist();
    }

    private String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private static String x() {
        try {
            return SigningKeys.x(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
