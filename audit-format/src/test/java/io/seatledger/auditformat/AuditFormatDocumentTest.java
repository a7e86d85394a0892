package io.seatledger.auditformat;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/audit-format.md's worked examples are what the code computes: an auditor can follow the page alone. */
class AuditFormatDocumentTest {

    static final Path PAGE = Path.of("..", "docs", "audit-format.md");

    private static final CanonicalEntry EXAMPLE = new CanonicalEntry(1042, "org-7f3c", "pool-5d1e", 3, Instant.parse("2026-12-01T10:15:30.123456Z"),
            "user-ada", "billing-manager", "req-9", "Zo\u00eb left", "SeatRevoked", "seat", "seat-2", "pool-5d1e", "seat-2",
            "{\"orgId\":\"org-7f3c\",\"poolId\":\"pool-5d1e\",\"previousStatus\":\"CLAIMED\",\"reason\":\"MANUAL\","
                    + "\"revokedAt\":\"2026-12-01T10:15:30.123456Z\",\"seatId\":\"seat-2\"}",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", null);

    @Test
    void theWorkedEntryHasTheDocumentedInputAndHash() throws Exception {
        String page = Files.readString(PAGE);
        EntryHash hash = new EntryHash();
        assertThat(CanonicalJson.isCanonical(EXAMPLE.details())).isTrue();
        assertThat(block(page, "Its hash input")).isEqualTo(Hex.of(hash.input(EXAMPLE)));
        assertThat(block(page, "Its hash:")).isEqualTo(hash.hex(EXAMPLE));
        assertThat(page).contains("(" + hash.input(EXAMPLE).length + " bytes");
    }

    @Test
    void theWorkedRootHasTheDocumentedLeavesAndRoot() throws Exception {
        String page = Files.readString(PAGE);
        Heads.Head organization = new Heads.Head("org-7f3c", 0, "e87cb45c05ad389d58904ea398345c24b50f46c15d412d0f671e66b766247d39");
        Heads.Head pool = new Heads.Head("pool-5d1e", 3, new EntryHash().hex(EXAMPLE));
        assertThat(block(page, "the leaves in `aggregateId` order are")).isEqualTo(Hex.of(Heads.leaf(organization)) + Hex.of(Heads.leaf(pool)));
        assertThat(block(page, "and the organization root is")).isEqualTo(Hex.of(Heads.root(List.of(organization, pool))));
    }

    /** The code block after {@code lead}, its whitespace removed. */
    private static String block(String page, String lead) {
        int from = page.indexOf("```", page.indexOf(lead)) + 3;
        return page.substring(from, page.indexOf("```", from)).replaceAll("\\s", "");
    }
}
