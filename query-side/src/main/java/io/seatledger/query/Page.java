package io.seatledger.query;

import java.util.List;

/** One page of a listing; {@code next} is the cursor of the following page, null on the last. */
public record Page<T>(List<T> items, String next) {

    /** A page from up to {@code limit + 1} rows: the extra row only says there is a next page. */
    public static <T> Page<T> of(List<T> rows, int limit, java.util.function.Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorOf.apply(items.get(limit - 1)));
    }
}
