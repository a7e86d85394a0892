package io.seatledger.projections.positions;

import org.axonframework.eventhandling.Segment;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** How far a segment has applied every stored event: its position, unless a gap below it stands for an event stored meanwhile. */
class ReadModelWaitsTest {

    private static ReadModelWaits.SegmentProgress at(long position, Long... gaps) {
        return new ReadModelWaits.SegmentProgress(position, new TreeSet<>(Set.of(gaps)));
    }

    @Test
    void withoutGapsEverythingUpToThePositionIsApplied() {
        assertThat(ReadModelWaits.appliedThrough(at(41), Set.of())).isEqualTo(41);
    }

    @Test
    void aGapWhoseEventIsNotStoredHoldsNothingBack() {
        // a rolled-back insert's index, or a transaction still running: nothing a client has seen
        assertThat(ReadModelWaits.appliedThrough(at(41, 7L, 30L), Set.of())).isEqualTo(41);
    }

    @Test
    void aGapWhoseEventIsStoredNowIsNotAppliedYet() {
        assertThat(ReadModelWaits.appliedThrough(at(41, 7L, 30L), Set.of(30L))).isEqualTo(29);
        assertThat(ReadModelWaits.appliedThrough(at(41, 7L, 30L), Set.of(7L, 30L))).isEqualTo(6);
    }

    @Test
    void anOrganizationWaitsOnlyForTheSegmentHoldingItsEvents() {
        Segment[] halves = Segment.ROOT_SEGMENT.split();
        String organization = "org-a";
        Segment holding = halves[0].matches(organization) ? halves[0] : halves[1];
        Segment other = holding == halves[0] ? halves[1] : halves[0];
        Map<Segment, ReadModelWaits.SegmentProgress> segments = Map.of(holding, at(50), other, at(12));
        assertThat(ReadModelWaits.appliedThrough(segments, organization, Set.of())).isEqualTo(50);
        assertThat(ReadModelWaits.appliedThrough(segments, null, Set.of())).as("every segment").isEqualTo(12);
        assertThat(ReadModelWaits.appliedThrough(Map.of(), organization, Set.of())).as("no segment known").isEqualTo(-1);
    }

    @Test
    void aPositionIsRememberedAsAppliedOnlyBelowEveryGapAndNoFurtherThanWasLookedAt() {
        Map<Segment, ReadModelWaits.SegmentProgress> segments = Map.of(Segment.ROOT_SEGMENT, at(100, 95L));
        // a read at 100 may pass the unstored gap 95, but a transaction still running may commit it later: 95 is not for good
        assertThat(ReadModelWaits.appliedThrough(segments, null, Set.of())).isEqualTo(100);
        assertThat(ReadModelWaits.appliedForGood(segments, null, Set.of(95L), 100)).isEqualTo(94);
        assertThat(ReadModelWaits.appliedForGood(Map.of(Segment.ROOT_SEGMENT, at(100)), null, Set.of(), 60))
                .as("gaps above the highest position asked for were not looked at").isEqualTo(60);
    }

    @Test
    void whatWasSeenAppliedHoldsForEveryProcessorOfTheReadUntilARebuildForgetsIt() {
        ReadModelWaits waits = new ReadModelWaits(null, null, Set.of());
        waits.remember("seat-pools", "org-a", 50);
        waits.remember("redis-counters", "org-a", 40);
        assertThat(waits.seenApplied(Set.of("seat-pools"), "org-a", 50)).isTrue();
        assertThat(waits.seenApplied(Set.of("seat-pools", "redis-counters"), "org-a", 45)).as("the slower processor decides").isFalse();
        assertThat(waits.seenApplied(Set.of("seat-pools", "redis-counters"), "org-a", 40)).isTrue();
        assertThat(waits.seenApplied(Set.of("seat-pools"), "org-b", 1)).as("another organization's read").isFalse();

        waits.remember("seat-pools", "org-a", 30);
        assertThat(waits.seenApplied(Set.of("seat-pools"), "org-a", 50)).as("an older look takes nothing back").isTrue();

        waits.forget("seat-pools");
        assertThat(waits.seenApplied(Set.of("seat-pools"), "org-a", 1)).isFalse();
        assertThat(waits.seenApplied(Set.of("redis-counters"), "org-a", 40)).isTrue();
        waits.destroy();
    }

    /**
     * While the database cannot be asked, reads that their readers gave up (a stream closed while its lag probe waited)
     * are forgotten at once, not kept until a look succeeds again; the others end by their deadline.
     */
    @Test
    void whileTheDatabaseIsAwayGivenUpReadsAreForgottenAndTheOthersEndByTheirDeadline() throws Exception {
        org.postgresql.ds.PGSimpleDataSource unreachable = new org.postgresql.ds.PGSimpleDataSource();
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            unreachable.setPortNumbers(new int[]{closed.getLocalPort()});
        }
        unreachable.setServerNames(new String[]{"127.0.0.1"});
        unreachable.setConnectTimeout(1);
        unreachable.setLoginTimeout(2);
        unreachable.setSocketTimeout(2);
        ReadModelWaits waits = new ReadModelWaits(new org.springframework.jdbc.core.JdbcTemplate(unreachable), null, Set.of());
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ReadModelWaits.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            java.util.concurrent.CompletableFuture<Boolean> givenUp = waits.await(Set.of("audit-trail"), "org-a", 5, java.time.Duration.ofMinutes(1));
            java.util.concurrent.CompletableFuture<Boolean> patient = waits.await(Set.of("audit-trail"), "org-a", 5, java.time.Duration.ofSeconds(1));
            givenUp.cancel(true);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> waits.waitingReads() == 0);
            assertThat(patient.get()).as("not applied: the database was never asked").isFalse();
            assertThat(lines.list).filteredOn(line -> line.getLevel() == ch.qos.logback.classic.Level.DEBUG)
                    .as("the database was looked at again and again").hasSizeGreaterThan(1);
            assertThat(lines.list).filteredOn(line -> line.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .as("one warning for the outage, not one per look every 10 ms").hasSize(1);
        } finally {
            logger.setLevel(level);
            logger.detachAppender(lines);
            waits.destroy();
        }
    }
}
