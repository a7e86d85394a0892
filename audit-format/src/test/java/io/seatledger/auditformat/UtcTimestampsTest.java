package io.seatledger.auditformat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast reading of a stored or exported instant agrees with {@code java.time} on every text, and declines what it does not know. */
class UtcTimestampsTest {

    /** The stored events' layout (three fraction digits) and the exports' (six). */
    private static final Arbitrary<DateTimeFormatter> STORED = Arbitraries.just(new DateTimeFormatterBuilder().appendInstant(3).toFormatter());
    private static final Arbitrary<DateTimeFormatter> EXPORTED = Arbitraries.just(new DateTimeFormatterBuilder().appendInstant(6).toFormatter());

    @Property(tries = 2_000)
    void readsWhatJavaTimeWritesWithAnyNumberOfFractionDigits(@ForAll("instants") Instant instant, @ForAll("fractionDigits") int digits) {
        DateTimeFormatter writer = new DateTimeFormatterBuilder().appendInstant(digits).toFormatter();
        String text = writer.format(instant);
        Instant expected = DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from);
        assertThat(UtcTimestamps.parseOrNull(text)).as(text).isEqualTo(expected);
    }

    /** Whatever the text, {@code parse} answers as {@link Instant#parse} does: the same instant or a refusal. */
    @Property(tries = 2_000)
    void parseAnswersAsInstantParse(@ForAll("nearlyTimestamps") String text) {
        assertThat(outcome(() -> UtcTimestamps.parse(text))).as(text).isEqualTo(outcome(() -> Instant.parse(text)));
    }

    private static Object outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (java.time.format.DateTimeParseException refused) {
            return "refused";
        }
    }

    /** Whatever the text, the answer is either "not mine" or what java.time reads. */
    @Property(tries = 5_000)
    void neverDisagreesWithJavaTime(@ForAll("nearlyTimestamps") String text) {
        Instant fast = UtcTimestamps.parseOrNull(text);
        if (fast == null) {
            return;
        }
        assertThat(fast).as(text).isEqualTo(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
    }

    @Test
    void declinesOtherLayoutsAndImpossibleDates() {
        assertThat(UtcTimestamps.parseOrNull("2026-12-03T09:38:35+01:00")).isNull();
        assertThat(UtcTimestamps.parseOrNull("2026-02-30T09:38:35Z")).isNull();
        assertThat(UtcTimestamps.parseOrNull("2026-12-03T24:00:00Z")).isNull();
        assertThat(UtcTimestamps.parseOrNull("2026-12-03T23:59:60Z")).isNull();
        assertThat(UtcTimestamps.parseOrNull("2026-12-03T09:38:35.Z")).isNull();
        assertThat(UtcTimestamps.parseOrNull("2026-12-03T09:38:35.1234567890Z")).isNull();
        assertThat(UtcTimestamps.parseOrNull("2026-12-03 09:38:35Z")).isNull();
        assertThat(UtcTimestamps.parseOrNull("+2026-12-03T09:38:35Z")).isNull();
        assertThat(UtcTimestamps.parseOrNull("")).isNull();
        assertThat(UtcTimestamps.parseOrNull("2026-12-03T09:38:35.218Z")).isEqualTo(Instant.parse("2026-12-03T09:38:35.218Z"));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(), Instant.parse("9999-12-31T23:59:59Z").getEpochSecond())
                .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999).map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(-1, 9);
    }

    /** Timestamps with one character changed, removed or added, and random text of the same length. */
    @Provide
    Arbitrary<String> nearlyTimestamps() {
        Arbitrary<String> valid = Arbitraries.oneOf(STORED, EXPORTED).flatMap(layout -> instants().map(layout::format));
        Arbitrary<Character> anyChar = Arbitraries.of('0', '9', ':', '-', 'T', 'Z', '.', '+', ' ', 'a', '\u0660', '\u0000');
        Arbitrary<String> changed = valid.flatMap(text -> Arbitraries.integers().between(0, text.length() - 1)
                .flatMap(at -> anyChar.map(c -> text.substring(0, at) + c + text.substring(at + 1))));
        Arbitrary<String> shortened = valid.flatMap(text -> Arbitraries.integers().between(0, text.length() - 1)
                .map(at -> text.substring(0, at) + text.substring(at + 1)));
        Arbitrary<String> lengthened = valid.flatMap(text -> Arbitraries.integers().between(0, text.length())
                .flatMap(at -> anyChar.map(c -> text.substring(0, at) + c + text.substring(at))));
        return Arbitraries.oneOf(changed, shortened, lengthened, Arbitraries.strings().ofLength(24).withChars("0123456789-:TZ."));
    }
}
