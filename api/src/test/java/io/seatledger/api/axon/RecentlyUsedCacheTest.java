package io.seatledger.api.axon;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class RecentlyUsedCacheTest {

    @Test
    void theMostRecentlyUsedEntriesSurviveACollectionAndTheOthersMayNot() {
        RecentlyUsedCache cache = new RecentlyUsedCache(1, value -> 1, value -> RecentlyUsedCache.NO_VERSION, key -> RecentlyUsedCache.NO_VERSION);
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
        RecentlyUsedCache cache = new RecentlyUsedCache(1, value -> 1, value -> RecentlyUsedCache.NO_VERSION, key -> RecentlyUsedCache.NO_VERSION);
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
        RecentlyUsedCache cache = new RecentlyUsedCache(10, value -> ((String) value).length(), value -> RecentlyUsedCache.NO_VERSION, key -> RecentlyUsedCache.NO_VERSION);
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

    @Test
    void aCommandThatFailsWithoutChangingTheAggregateLeavesItCached() {
        Map<String, Long> stored = new HashMap<>(Map.of("pool", 7L));
        RecentlyUsedCache cache = versioned(stored);
        AtomicLong pool = new AtomicLong(7);
        inUnitOfWork(unitOfWork -> cache.put("pool", pool)).commit();

        DefaultUnitOfWork<?> refused = inUnitOfWork(unitOfWork -> {
            cache.get("pool");
            unitOfWork.onRollback(rolledBack -> cache.remove("pool"));
        });
        refused.rollback(new IllegalStateException("no seat left"));

        assertThat(cache.<String, Object>get("pool")).as("the failed command applied nothing").isSameAs(pool);
        assertThat(cache.held()).isEqualTo(1);
    }

    @Test
    void aCommandThatChangedTheAggregateBeforeFailingDropsIt() {
        Map<String, Long> stored = new HashMap<>(Map.of("pool", 7L));
        RecentlyUsedCache cache = versioned(stored);
        AtomicLong pool = new AtomicLong(7);
        inUnitOfWork(unitOfWork -> cache.put("pool", pool)).commit();

        DefaultUnitOfWork<?> failed = inUnitOfWork(unitOfWork -> {
            cache.get("pool");
            unitOfWork.onRollback(rolledBack -> cache.remove("pool"));
            pool.incrementAndGet(); // an event applied to the cached aggregate, never stored
        });
        failed.rollback(new IllegalStateException("the event store went away"));

        assertThat(cache.containsKey("pool")).isFalse();
        assertThat(cache.held()).isZero();
    }

    @Test
    void aNestedCommandRolledBackByItsEnclosingUnitOfWorkDropsWhatItCached() {
        Map<String, Long> stored = new HashMap<>(Map.of("pool", 7L));
        RecentlyUsedCache cache = versioned(stored);
        AtomicLong pool = new AtomicLong(7);
        inUnitOfWork(unitOfWork -> cache.put("pool", pool)).commit();
        DefaultUnitOfWork<?> batch = inUnitOfWork(unitOfWork -> {
        });
        DefaultUnitOfWork<?> command = inUnitOfWork(unitOfWork -> {
            cache.get("pool");
            pool.incrementAndGet();
            cache.put("pool", pool); // as the repository caches it once the command's events are handed to the batch
            unitOfWork.onRollback(rolledBack -> cache.remove("pool"));
        });
        command.commit();
        batch.rollback(new IllegalStateException("the batch's events could not be stored"));

        assertThat(cache.containsKey("pool")).as("its events were never stored").isFalse();
    }

    @Test
    void anAggregateBehindTheStoreIsDroppedAndSoIsOneThatCannotBeChecked() {
        Map<String, Long> stored = new HashMap<>(Map.of("pool", 9L)); // another instance stored two more events
        RecentlyUsedCache cache = versioned(stored);
        inUnitOfWork(unitOfWork -> cache.put("pool", new AtomicLong(7))).commit();
        DefaultUnitOfWork<?> refused = inUnitOfWork(unitOfWork -> {
            cache.get("pool");
            unitOfWork.onRollback(rolledBack -> cache.remove("pool"));
        });
        refused.rollback(new IllegalStateException("refused on stale state"));
        assertThat(cache.containsKey("pool")).isFalse();

        RecentlyUsedCache unreachable = new RecentlyUsedCache(10, value -> 1, value -> ((AtomicLong) value).get(), key -> {
            throw new IllegalStateException("the event store went away");
        });
        inUnitOfWork(unitOfWork -> unreachable.put("pool", new AtomicLong(7))).commit();
        DefaultUnitOfWork<?> failed = inUnitOfWork(unitOfWork -> {
            unreachable.get("pool");
            unitOfWork.onRollback(rolledBack -> unreachable.remove("pool"));
        });
        failed.rollback(new IllegalStateException("no seat left"));
        assertThat(unreachable.containsKey("pool")).isFalse();
    }

    @Test
    void aRemovalOutsideARollbackAlwaysHappensAndAUnitOfWorkWithoutAMessageMayCache() {
        Map<String, Long> stored = new HashMap<>(Map.of("pool", 7L));
        RecentlyUsedCache cache = versioned(stored);
        DefaultUnitOfWork<?> snapshotter = DefaultUnitOfWork.startAndGet(null);
        cache.put("pool", new AtomicLong(7));
        snapshotter.commit();

        assertThat(cache.remove("pool")).isTrue();
        assertThat(cache.containsKey("pool")).isFalse();
    }

    /** A cache whose values are their own versions, with {@code stored} as the store's last versions. */
    private static RecentlyUsedCache versioned(Map<String, Long> stored) {
        return new RecentlyUsedCache(10, value -> 1, value -> ((AtomicLong) value).get(), key -> stored.getOrDefault(key, RecentlyUsedCache.NO_VERSION));
    }

    /** A started unit of work of its own command, left current after {@code work}, for the test to commit or roll back. */
    private static DefaultUnitOfWork<?> inUnitOfWork(Consumer<DefaultUnitOfWork<?>> work) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("command"));
        work.accept(unitOfWork);
        return unitOfWork;
    }

    private static Object putNew(RecentlyUsedCache cache, String key) {
        Object value = new Object();
        cache.put(key, value);
        return value;
    }
}
