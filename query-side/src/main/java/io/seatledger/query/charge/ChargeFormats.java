package io.seatledger.query.charge;

import io.seatledger.auditformat.CsvCells;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Renders charge lines for export, one per line: NDJSON (each a page's JSON item) and CSV (the same columns; RFC 4180, CRLF). */
public final class ChargeFormats {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static final String CSV_HEADER = "chargeId,poolId,kind,seats,amount,currency,periodStart,periodEnd,position,occurredAt" + CsvCells.LINE_END;

    private ChargeFormats() {
    }

    /**
     * One CSV line. Texts (ids, some from Stripe; kind; currency) are neutralized for spreadsheets ({@link CsvCells#cell});
     * numbers and instants are the service's own and written as they are, so that a credit's amount stays a negative number.
     */
    public static String csv(ChargeLine line) {
        return Stream.of(CsvCells.cell(line.chargeId()), CsvCells.cell(line.poolId()), CsvCells.cell(line.kind()), String.valueOf(line.seats()),
                        String.valueOf(line.amount()), CsvCells.cell(line.currency()), text(line.periodStart()), text(line.periodEnd()),
                        String.valueOf(line.position()), text(line.occurredAt()))
                .collect(Collectors.joining(",", "", CsvCells.LINE_END));
    }

    public static String ndjson(ChargeLine line) {
        return JSON.writeValueAsString(line) + "\n";
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
