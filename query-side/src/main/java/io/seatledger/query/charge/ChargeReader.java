package io.seatledger.query.charge;

import io.r2dbc.spi.Readable;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.Cursor;
import io.seatledger.query.Page;
import io.seatledger.query.TenantScope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads charge lines from the PostgreSQL read model, one organization at a time (optionally one pool), oldest first,
 * recorded in {@code [from, to)}: in pages, or all of them for an export, read page by page as the client takes them.
 */
@Component
public class ChargeReader {

    private static final String COLUMNS = "charge_id, pool_id, kind, seats, amount, currency, period_start, period_end, position, occurred_at";

    /** Which charges: of an organization, of one of its pools (null: all), recorded at or after {@code from} and before {@code to}. */
    public record Filter(String poolId, Instant from, Instant to) {

        public Filter {
            if (from != null && to != null && !from.isBefore(to)) {
                throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "from must be before to");
            }
        }
    }

    private final TenantScope tenant;

    public ChargeReader(TenantScope tenant) {
        this.tenant = tenant;
    }

    public Mono<Page<ChargeLine>> page(String orgId, Filter filter, String cursor, Integer limit) {
        Cursor after = Cursor.decode(cursor);
        int size = Cursor.limit(limit);
        return rows(orgId, filter, after, size + 1).collectList()
                .map(rows -> Page.of(rows, size, line -> new Cursor(line.occurredAt(), Long.toString(line.position())).encode()));
    }

    /** Every line matching, from {@code cursor} on, a page of {@link Cursor#MAX_LIMIT} at a time. */
    public Flux<ChargeLine> stream(String orgId, Filter filter, String cursor) {
        return page(orgId, filter, cursor, Cursor.MAX_LIMIT)
                .expand(page -> page.next() == null ? Mono.empty() : page(orgId, filter, page.next(), Cursor.MAX_LIMIT))
                .concatMapIterable(Page::items);
    }

    private Flux<ChargeLine> rows(String orgId, Filter filter, Cursor after, int rows) {
        long afterPosition = after == null ? 0 : position(after);
        return tenant.many(orgId, database -> {
            DatabaseClient.GenericExecuteSpec query = database.sql("select " + COLUMNS + " from read_model.charges where org_id = :org"
                            + (filter.poolId() == null ? "" : " and pool_id = :pool")
                            + (filter.from() == null ? "" : " and occurred_at >= :from")
                            + (filter.to() == null ? "" : " and occurred_at < :to")
                            + (after == null ? "" : " and (occurred_at, position) > (:after, :afterPosition)")
                            + " order by occurred_at, position limit :rows")
                    .bind("org", orgId).bind("rows", rows);
            if (filter.poolId() != null) {
                query = query.bind("pool", filter.poolId());
            }
            if (filter.from() != null) {
                query = query.bind("from", filter.from().atOffset(ZoneOffset.UTC));
            }
            if (filter.to() != null) {
                query = query.bind("to", filter.to().atOffset(ZoneOffset.UTC));
            }
            if (after != null) {
                query = query.bind("after", after.after().atOffset(ZoneOffset.UTC)).bind("afterPosition", afterPosition);
            }
            return query.map(ChargeReader::line).all();
        });
    }

    private static long position(Cursor cursor) {
        try {
            return Long.parseLong(cursor.afterId());
        } catch (NumberFormatException notOurs) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "cursor is not one this API returned");
        }
    }

    private static ChargeLine line(Readable row) {
        return new ChargeLine(row.get("charge_id", String.class), row.get("pool_id", String.class), row.get("kind", String.class),
                row.get("seats", Integer.class), row.get("amount", Long.class), row.get("currency", String.class), instant(row, "period_start"),
                instant(row, "period_end"), row.get("position", Long.class), instant(row, "occurred_at"));
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
