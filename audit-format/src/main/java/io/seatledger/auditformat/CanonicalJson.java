package io.seatledger.auditformat;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one text of a JSON value that the audit hash covers (docs/audit-format.md): RFC 8785 (JCS) for the values audit
 * details hold. Object members sorted by their names' UTF-16 code units, no whitespace, strings escaped only where JSON
 * requires ({@code &#92;"}, {@code &#92;&#92;}, {@code &#92;b &#92;f &#92;n &#92;r &#92;t}, other characters below U+0020 as {@code &#92;u00xx} in lower-case
 * hex; everything else literal), integers in plain decimal. Fractions, exponents and unpaired surrogates are refused:
 * no event detail is a fraction, and a canonical form of them is not needed.
 */
public final class CanonicalJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /** The canonical text of {@code json}, any JSON text holding only the values this format allows. */
    public static String of(String json) {
        return of(JSON.readTree(json));
    }

    /** The canonical text of {@code value}. */
    public static String of(JsonNode value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    /**
     * The canonical text of the JSON value at {@code parser}'s current token, read to its last token without building a
     * tree: what a reader of a large export uses per entry. The same rules as {@link #of(JsonNode)}; a duplicate member
     * name is refused.
     */
    public static String of(JsonParser parser) {
        StringBuilder out = new StringBuilder(256);
        write(parser, parser.currentToken(), out);
        return out.toString();
    }

    private record Member(String name, String value) implements Comparable<Member> {
        @Override
        public int compareTo(Member other) {
            return name.compareTo(other.name);
        }
    }

    private static void write(JsonParser parser, JsonToken token, StringBuilder out) {
        switch (token) {
            case START_OBJECT -> {
                List<Member> members = new ArrayList<>(8);
                String name;
                while ((name = parser.nextName()) != null) {
                    StringBuilder value = new StringBuilder(32);
                    write(parser, parser.nextToken(), value);
                    members.add(new Member(name, value.toString()));
                }
                // String.compareTo compares UTF-16 code units, as RFC 8785 sorts member names; sorted input costs one pass
                java.util.Collections.sort(members);
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        if (members.get(i).name.equals(members.get(i - 1).name)) {
                            throw new IllegalArgumentException("duplicate member " + members.get(i).name);
                        }
                        out.append(',');
                    }
                    string(members.get(i).name, out);
                    out.append(':').append(members.get(i).value);
                }
                out.append('}');
            }
            case START_ARRAY -> {
                out.append('[');
                JsonToken element;
                boolean first = true;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(parser, element, out);
                }
                out.append(']');
            }
            case VALUE_STRING -> string(parser.getString(), out);
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    out.append(parser.getBigIntegerValue().toString());
                } else {
                    out.append(parser.getLongValue());
                }
            }
            case VALUE_TRUE -> out.append("true");
            case VALUE_FALSE -> out.append("false");
            case VALUE_NULL -> out.append("null");
            default -> throw new IllegalArgumentException("audit details hold strings, integers, booleans, nulls, arrays and objects only, not "
                    + token);
        }
    }

    /** Whether {@code json} is already in canonical form. */
    public static boolean isCanonical(String json) {
        return json.equals(of(json));
    }

    private static void write(JsonNode value, StringBuilder out) {
        if (value.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(value.properties());
            // String.compareTo compares UTF-16 code units, as RFC 8785 sorts member names
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(members.get(i).getKey(), out);
                out.append(':');
                write(members.get(i).getValue(), out);
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(value.get(i), out);
            }
            out.append(']');
        } else if (value.isString()) {
            string(value.asString(), out);
        } else if (value.isIntegralNumber()) {
            out.append(value.bigIntegerValue().toString());
        } else if (value.isBoolean()) {
            out.append(value.booleanValue() ? "true" : "false");
        } else if (value.isNull()) {
            out.append("null");
        } else {
            throw new IllegalArgumentException("audit details hold strings, integers, booleans, nulls, arrays and objects only, not "
                    + value.getNodeType());
        }
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("an unpaired surrogate has no UTF-8 form");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
