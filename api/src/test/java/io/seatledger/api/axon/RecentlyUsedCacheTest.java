package io.seatledger.api.axon;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;

import static org.assertj.core.api.Assertions.assertThat;

class RecentlyUsedCacheTest {

    @Test
    void theMostRecentlyUsedEntriesSurviveACollectionAndTheOthersMayNot() {
        RecentlyUsedCache cache = new RecentlyUsedCache(1, value -> 1);
        WeakReference<Object> older = new WeakReference<>(putNew(cache, "older"));
        putNew(cache, "newer");
        assertThat(cache.held()).isEqualTo(1);

        for (int collections = 0; collections < 20 && older.get() != null; collections++) {
            System.gc();
        }

        assertThat(older.get()).as("only weakly reachable once a newer entry is held").isNull();
        assertThat(cache.containsKey("older")).isFalse();
        assertThat(cache.<String, Object>get("newer")).isNotNull();
    }

    @Test
    void readingAnEntryHoldsItAndRemovingItLetsItGo() {
        RecentlyUsedCache cache = new RecentlyUsedCache(1, value -> 1);
        putNew(cache, "first");
        putNew(cache, "second");
        assertThat(cache.<String, Object>get("first")).as("still weakly there").isNotNull();
        WeakReference<Object> second = new WeakReference<>(cache.get("second"));
        cache.get("first");

        cache.remove("first");
        assertThat(cache.held()).isZero();
        for (int collections = 0; collections < 20 && second.get() != null; collections++) {
            System.gc();
        }
        assertThat(second.get()).as("no longer the most recently read").isNull();
    }

    @Test
    void entriesAreHeldUpToTheirTotalWeightAndTheMostRecentWhateverItWeighs() {
        RecentlyUsedCache cache = new RecentlyUsedCache(10, value -> ((String) value).length());
        cache.put("a", "aaaa");
        cache.put("b", "bbbb");
        assertThat(cache.held()).isEqualTo(2);
        cache.put("c", "cccc");
        assertThat(cache.held()).as("12 > 10: the least recently used one goes").isEqualTo(2);

        cache.get("b");
        cache.put("b", "bbbbbbbbbbbbbbbbbbbb");
        assertThat(cache.held()).as("a pool grown past the whole budget is still held, alone").isEqualTo(1);

        cache.remove("b");
        assertThat(cache.held()).isZero();
        cache.put("d", "dd");
        cache.put("e", "ee");
        assertThat(cache.held()).as("the weight of removed entries is given back").isEqualTo(2);
    }

    private static Object putNew(RecentlyUsedCache cache, String key) {
        Object value = new Object();
        cache.put(key, value);
        return value;
    }
}
