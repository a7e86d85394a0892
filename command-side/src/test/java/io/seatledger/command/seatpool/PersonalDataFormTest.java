package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PersonalData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sealed-address form is checked character by character (a regular expression cost a sixth of an onboarding's
 * CPU); this holds the check to the documented grammar, written as a regular expression, over near-miss values.
 */
class PersonalDataFormTest {

    private static final Pattern SEALED = Pattern.compile("pd1:[0-9a-f]{64}:[A-Za-z0-9_-]{40,1500}");
    private static final Pattern REFERENCE = Pattern.compile("pd1:[0-9a-f]{64}");

    @Property(tries = 3000)
    void theSealedFormIsExactlyTheGrammar(@ForAll("nearlySealed") String value) {
        Statistics.label("sealed").collect(SEALED.matcher(value).matches());
        Statistics.label("sealed").coverage(coverage -> {
            coverage.check(true).percentage(share -> share > 5);
            coverage.check(false).percentage(share -> share > 20);
        });
        assertThat(PersonalData.isSealed(value)).as(value).isEqualTo(SEALED.matcher(value).matches());
        if (SEALED.matcher(value).matches()) {
            assertThat(PersonalData.subject(value)).isEqualTo(value.substring(0, 68));
            assertThat(PersonalData.digest(value)).isEqualTo(value.substring(4, 68));
        }
    }

    @Property(tries = 1000)
    void aReferenceIsExactlyPrefixAndDigest(@ForAll("nearlySealed") String value) {
        String candidate = value.length() > 4 ? value.substring(4, Math.min(value.length(), 68)) : value;
        boolean valid = REFERENCE.matcher("pd1:" + candidate).matches();
        if (valid) {
            assertThat(PersonalData.reference(candidate)).isEqualTo("pd1:" + candidate);
            assertThat(PersonalData.subject("pd1:" + candidate)).isEqualTo("pd1:" + candidate);
        } else {
            assertThatThrownBy(() -> PersonalData.reference(candidate)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<String> nearlySealed() {
        Arbitrary<String> digest = Arbitraries.frequencyOf(
                Tuple.of(6, hex(64)),
                Tuple.of(1, hex(63)),
                Tuple.of(1, hex(65)),
                Tuple.of(2, Combinators.combine(hex(64), Arbitraries.integers().between(0, 63),
                        Arbitraries.of('A', 'g', ':', 'F', '\u0000'))
                        .as((h, at, bad) -> h.substring(0, at) + bad + h.substring(at + 1))));
        Arbitrary<String> sealedPart = Arbitraries.frequencyOf(
                Tuple.of(6, base64Url(40, 1500)),
                Tuple.of(1, base64Url(0, 39)),
                Tuple.of(1, base64Url(1501, 1510)),
                Tuple.of(2, Combinators.combine(base64Url(40, 200), Arbitraries.of('=', '+', '/', ':', ' ', '\u0000', '\u00e9'))
                        .as((text, bad) -> text.substring(0, text.length() / 2) + bad + text.substring(text.length() / 2))));
        Arbitrary<String> prefix = Arbitraries.of("pd1:", "pd1:", "pd1:", "pd1:", "pd2:", "PD1:", "pd1", "");
        Arbitrary<String> separator = Arbitraries.of(":", ":", ":", ":", ";", "");
        return Combinators.combine(prefix, digest, separator, sealedPart).as((p, d, sep, c) -> p + d + sep + c);
    }

    private static Arbitrary<String> hex(int length) {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(length);
    }

    private static Arbitrary<String> base64Url(int min, int max) {
        return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').withCharRange('0', '9').withChars("-_")
                .ofMinLength(min).ofMaxLength(max);
    }
}
