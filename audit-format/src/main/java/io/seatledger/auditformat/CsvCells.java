package io.seatledger.auditformat;

/**
 * Cells of the CSV files the project writes (RFC 4180, lines ended by CRLF), safe to open in a spreadsheet: what the
 * audit and charges exports and the command-line tool's list of refused rows share. {@link CsvLine} reads them.
 */
public final class CsvCells {

    public static final String LINE_END = "\r\n";

    private CsvCells() {
    }

    /** {@code value} as one cell: neutralized for spreadsheets, then quoted as RFC 4180 needs; null is an empty cell. */
    public static String cell(String value) {
        return quoted(spreadsheetSafe(value));
    }

    /**
     * A cell a spreadsheet would run as a formula ({@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return
     * first) gets a leading apostrophe, which spreadsheets show as text (OWASP's CSV injection advice). A cell starting
     * with an apostrophe gets one more, so that the rule is reversible: a reader drops exactly one leading apostrophe
     * from every cell that has one (docs/audit-format.md).
     */
    public static String spreadsheetSafe(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '\'' || first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + value : value;
    }

    /** RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. */
    public static String quoted(String value) {
        if (value == null) {
            return "";
        }
        if (value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
