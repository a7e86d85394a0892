package io.seatledger.api.cli;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command-line tool's seat commands, run as their own process against this running service as a billing manager
 * would: an import that refuses bad rows one by one and reports them, runs again without assigning anything twice, and
 * resumes after being killed mid-run; a malformed file that sends nothing; the pools and usage it then lists.
 */
class SeatsCliProcessTest extends ApiTest {

    @TempDir
    Path directory;

    @Test
    void anImportRefusesBadRowsReportsThemAndRunsAgainWithoutAssigningTwice() throws Exception {
        String poolId = buyPool(40);
        List<String> lines = new ArrayList<>(List.of("email,metadata.team"));
        IntStream.range(0, 25).forEach(i -> lines.add("person-" + i + "@example.com,\"=sales, north\""));
        lines.add("person-3@example.com,again");       // the same address twice in one pool
        lines.add("not an address,x");
        Files.write(directory.resolve("people.csv"), lines, StandardCharsets.UTF_8);
        String[] command = {"seats", "import", "people.csv", "--url", url(), "--org", orgId, "--pool", poolId, "--token", token(),
                "--chunk", "10", "--rejected", "refused.csv"};

        CliProcess.Result first = CliProcess.run(directory, command);
        assertThat(first.status()).as(first.err()).isEqualTo(4);
        assertThat(first.err()).contains("imported 27 rows in 3 requests: 25 seats assigned, 2 rows refused").contains("line 27:").contains("line 28:");
        List<String> refused = Files.readAllLines(directory.resolve("refused.csv"));
        assertThat(refused).hasSize(3).first().isEqualTo("line,email,code");
        assertThat(refused.get(1)).startsWith("27,person-3@example.com,");
        assertThat(pending(poolId)).isEqualTo(25);
        assertThat(teams(poolId)).as("a quoted cell that starts like a formula is stored as sent").hasSize(25).containsOnly("=sales, north");

        CliProcess.Result again = CliProcess.run(directory, command);
        assertThat(again.status()).as(again.err()).isEqualTo(4);
        assertThat(again.err()).as("each chunk answered as the first time").contains("25 seats assigned, 2 rows refused");
        assertThat(pending(poolId)).as("nothing assigned twice").isEqualTo(25);

        CliProcess.Result listed = CliProcess.run(directory, "pools", "list", "--url", url(), "--org", orgId, "--token", token());
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).containsPattern(poolId + "\\s+active\\s+\\S+\\s+40\\s+0\\s+25\\s+15");
        CliProcess.Result usage = CliProcess.run(directory, "usage", "--url", url(), "--org", orgId, "--token", token());
        assertThat(usage.status()).as(usage.err()).isZero();
        assertThat(usage.out()).contains("capacity   40").contains("pending    25").contains("available  15");
    }

    @Test
    void anImportKilledMidRunResumesWithoutDuplicates() throws Exception {
        int rows = 2_000;
        String poolId = buyPool(rows);
        List<String> lines = new ArrayList<>(List.of("email"));
        IntStream.range(0, rows).forEach(i -> lines.add("resumed-" + i + "@example.com"));
        Files.write(directory.resolve("many.csv"), lines, StandardCharsets.UTF_8);
        String[] command = {"seats", "import", "many.csv", "--url", url(), "--org", orgId, "--pool", poolId, "--token", token(), "--chunk", "50"};

        CliProcess.Running interrupted = CliProcess.start(directory, command);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> pending(poolId) >= 200);
        interrupted.process().destroyForcibly().waitFor();
        int before = pending(poolId);
        assertThat(before).as("killed before the end").isLessThan(rows);

        CliProcess.Result resumed = CliProcess.run(directory, command);
        assertThat(resumed.status()).as(resumed.err()).isZero();
        // the chunks stored by the killed run are answered with their first answers: every row shows as assigned once
        assertThat(resumed.err()).contains("imported 2000 rows in 40 requests: 2000 seats assigned, 0 rows refused");
        await().atMost(Duration.ofSeconds(30)).until(() -> pending(poolId) == rows);
        Set<String> emails = new HashSet<>(seatEmails(poolId));
        assertThat(emails).hasSize(rows);
    }

    @Test
    void aMalformedFileSendsNothing() throws Exception {
        String poolId = buyPool(10);
        Files.writeString(directory.resolve("bad.csv"), "email\r\nfine@example.com\r\n\"unterminated@example.com\r\n", StandardCharsets.UTF_8);
        CliProcess.Result bad = CliProcess.run(directory, "seats", "import", "bad.csv", "--url", url(), "--org", orgId, "--pool", poolId,
                "--token", token());
        assertThat(bad.status()).isEqualTo(3);
        assertThat(bad.err()).contains("nothing imported: line 3");
        Files.writeString(directory.resolve("columns.csv"), "mail\nfine@example.com\n", StandardCharsets.UTF_8);
        CliProcess.Result columns = CliProcess.run(directory, "seats", "import", "columns.csv", "--url", url(), "--org", orgId, "--pool", poolId,
                "--token", token());
        assertThat(columns.status()).isEqualTo(3);
        assertThat(columns.err()).contains("no column named email");
        assertThat(pending(poolId)).isZero();
    }

    @Test
    void anotherOrganizationsManagerIsRefusedAndNothingIsStored() throws Exception {
        String poolId = buyPool(10);
        Files.writeString(directory.resolve("one.csv"), "email\none@example.com\n", StandardCharsets.UTF_8);
        String stranger = api.token("stranger", "org-of-someone-else", "stranger@example.com");
        CliProcess.Result refused = CliProcess.run(directory, "seats", "import", "one.csv", "--url", url(), "--org", orgId, "--pool", poolId,
                "--token", stranger);
        assertThat(refused.status()).isEqualTo(3);
        assertThat(refused.err()).containsAnyOf(" 403 ", " 404 ");
        assertThat(pending(poolId)).isZero();
    }

    private String url() {
        return "http://localhost:" + port;
    }

    private String token() {
        return api.token(managerId, orgId, managerEmail);
    }

    @SuppressWarnings("unchecked")
    private int pending(String poolId) {
        Map<String, Object> pool = manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) pool.get("pending")).intValue();
    }

    private List<String> seatEmails(String poolId) {
        return seats(poolId).stream().map(seat -> (String) seat.get("email")).collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    private List<Object> teams(String poolId) {
        return seats(poolId).stream().map(seat -> ((Map<String, Object>) seat.get("metadata")).get("team")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> seats(String poolId) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            String after = cursor;
            Map<String, Object> page = manager.get().uri(uri -> uri.path("/api/v1/orgs/{org}/seat-pools/{pool}/seats").queryParam("limit", 500)
                            .queryParamIfPresent("cursor", java.util.Optional.ofNullable(after)).build(orgId, poolId))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            all.addAll((List<Map<String, Object>>) page.get("items"));
            cursor = (String) page.get("next");
        } while (cursor != null && all.size() < 100_000);
        return all;
    }
}
