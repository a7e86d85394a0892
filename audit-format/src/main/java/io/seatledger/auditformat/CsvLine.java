package io.seatledger.auditformat;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells of one line of the CSV export (RFC 4180): quoted cells unquoted, doubled quotes undoubled. No cell of an
 * export holds a line break (texts with control characters are refused on the way in, details are canonical JSON),
 * so a line is a record. Spreadsheet protection (a leading apostrophe) is left in place: see docs/audit-format.md.
 */
public final class CsvLine {

    private CsvLine() {
    }

    /** The cells of {@code line} (without its line end); refused when it ends inside a quoted cell. */
    public static List<String> cells(String line) {
        List<String> cells = new ArrayList<>(17);
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("the line ends inside a quoted cell");
        }
        cells.add(cell.toString());
        return cells;
    }
}
