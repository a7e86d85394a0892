package io.seatledger.api.axon;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class RecentlyUsedCacheTest {

    @Test
    void theMostRecentlyUsedEntriesSurviveACollectionAndTheOthersMayNot() {
        RecentlyUsedCache cache = new RecentlyUsedCache(1, value -> 1, value -> RecentlyUsedCache.NO_VERSION);
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
        RecentlyUsedCache cache = new RecentlyUsedCache(1, value -> 1, value -> RecentlyUsedCache.NO_VERSION);
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
        RecentlyUsedCache cache = new RecentlyUsedCache(10, value -> ((String) value).length(), value -> RecentlyUsedCache.NO_VERSION);
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
        RecentlyUsedCache cache = versioned();
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
        RecentlyUsedCache cache = versioned();
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
    void anAggregateCachedByTheUnitOfWorkThatRollsBackIsDropped() {
        RecentlyUsedCache cache = versioned();
        AtomicLong pool = new AtomicLong(7);
        DefaultUnitOfWork<?> failedCommit = inUnitOfWork(unitOfWork -> {
            pool.incrementAndGet();
            cache.put("pool", pool); // as the repository caches it while committing, before the events are stored
            unitOfWork.onRollback(rolledBack -> cache.remove("pool"));
        });
        failedCommit.rollback(new IllegalStateException("the events could not be stored"));

        assertThat(cache.containsKey("pool")).isFalse();
    }

    @Test
    void aRemovalOutsideARollbackAlwaysHappens() {
        RecentlyUsedCache cache = versioned();
        inUnitOfWork(unitOfWork -> cache.put("pool", new AtomicLong(7))).commit();

        assertThat(cache.remove("pool")).isTrue();
        assertThat(cache.containsKey("pool")).isFalse();
    }

    /** A cache whose values are their own versions, as a cached aggregate's version moves when events are applied. */
    private static RecentlyUsedCache versioned() {
        return new RecentlyUsedCache(10, value -> 1, value -> value instanceof AtomicLong version ? version.get() : RecentlyUsedCache.NO_VERSION);
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
