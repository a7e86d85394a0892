package io.seatledger.auditformat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The canonical JSON of audit details: RFC 8785 for strings, integers, booleans, nulls, arrays and objects. */
class CanonicalJsonTest {

    @Test
    void membersAreSortedAndWhitespaceIsGone() {
        assertThat(CanonicalJson.of("{ \"b\" : 1,\n \"a\": [ true, false, null ], \"c\": {\"z\": \"x\", \"y\": {}} }"))
                .isEqualTo("{\"a\":[true,false,null],\"b\":1,\"c\":{\"y\":{},\"z\":\"x\"}}");
    }

    @Test
    void namesSortByUtf16CodeUnitsNotByCodePoints() {
        // U+1F600 is the surrogate pair D83D DE00 and sorts before U+FB33 by UTF-16 code units (RFC 8785, 3.2.3),
        // though its code point is higher; "A" (0x41) before "a" (0x61); a prefix before its extensions
        assertThat(CanonicalJson.of("{\"\uFB33\":1,\"\uD83D\uDE00\":2,\"a\":3,\"A\":4,\"ab\":5,\"\":6}"))
                .isEqualTo("{\"\":6,\"A\":4,\"a\":3,\"ab\":5,\"\uD83D\uDE00\":2,\"\uFB33\":1}");
    }

    @Test
    void stringsAreEscapedOnlyWhereJsonRequires() {
        assertThat(CanonicalJson.of("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u0001\\u001f \\u007f \\u00e9 \\u2028 \\uD83D\\uDE00 <>&'\""))
                .isEqualTo("\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001\\u001f \u007f \u00e9 \u2028 \uD83D\uDE00 <>&'\"");
    }

    @Test
    void unicodeIsKeptAsIsNotNormalized() {
        // NFC and NFD forms stay different texts: the hash covers what was stored
        assertThat(CanonicalJson.of("\"Am\u00e9lie\"")).isEqualTo("\"Am\u00e9lie\"");
        assertThat(CanonicalJson.of("\"Ame\u0301lie\"")).isEqualTo("\"Ame\u0301lie\"");
    }

    @Test
    void integersArePlainDecimal() {
        assertThat(CanonicalJson.of("[0,-0,1,-17,9007199254740993,-9223372036854775808,123456789012345678901234567890]"))
                .isEqualTo("[0,0,1,-17,9007199254740993,-9223372036854775808,123456789012345678901234567890]");
    }

    @Test
    void deepNestingKeepsItsOrderInArrays() {
        assertThat(CanonicalJson.of("{\"tiers\":[{\"upTo\":10,\"unitAmount\":5},{\"upTo\":null,\"unitAmount\":4}],\"m\":{\"k\":[[],[{}]]}}"))
                .isEqualTo("{\"m\":{\"k\":[[],[{}]]},\"tiers\":[{\"unitAmount\":5,\"upTo\":10},{\"unitAmount\":4,\"upTo\":null}]}");
    }

    @Test
    void fractionsDuplicatesTrailingTextAndLoneSurrogatesAreRefused() {
        assertThatThrownBy(() -> CanonicalJson.of("1.5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.of("[1e3]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.of("{\"a\":1,\"a\":2}")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> CanonicalJson.of("{} {}")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> CanonicalJson.of("\"\\uD800\"")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void canonicalTextIsItsOwnCanonicalForm() {
        String canonical = CanonicalJson.of("{\"b\":[1,\"\\u0000\"],\"a\":\"\u00e9\"}");
        assertThat(CanonicalJson.isCanonical(canonical)).isTrue();
        assertThat(CanonicalJson.isCanonical("{\"b\":1, \"a\":2}")).isFalse();
    }

    @Test
    void theStreamingFormGivesTheTreeFormsText() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (String text : java.util.List.of("{ \"b\" : 1,\n \"a\": [ true, false, null ], \"c\": {\"z\": \"x\", \"y\": {}} }",
                "{\"\\u00e9\":\"\\u0001\\t\\\"\\\\/\\u2028\",\"A\":-0,\"a\":123456789012345678901234567890,\"\\ud83d\\ude00\":[[],{}],\"\\ue000\":\"\"}",
                "[]", "\"x\"", "-5")) {
            try (tools.jackson.core.JsonParser parser = json.createParser(text)) {
                parser.nextToken();
                assertThat(CanonicalJson.of(parser)).as(text).isEqualTo(CanonicalJson.of(text));
            }
        }
        for (String refused : java.util.List.of("{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":1,\"a\":2}")) {
            try (tools.jackson.core.JsonParser parser = json.createParser(refused)) {
                parser.nextToken();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.of(parser)).as(refused)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
