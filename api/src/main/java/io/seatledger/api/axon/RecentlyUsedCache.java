package io.seatledger.api.axon;

import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Loaded aggregates: the most recently used ones held up to a total weight (a pool weighs its seats), every other
 * one kept only as long as the garbage collector does not need its memory (weakly). The most recently used entry
 * is held whatever it weighs. With a weak cache alone, a 100,000-seat pool was lost at every full collection during
 * its bulk import, and each next command loaded it again from its snapshot and events (~50 MB): the memory that had
 * triggered the collection, needed again at once. Held by count (one pool), sixteen tenants assigning at once each
 * loaded their pool again from its events for every command: a young pool's weak reference does not outlive the
 * next young collection.
 * <p>
 * A held aggregate also outlives a failed command that changed nothing. Axon's repository drops a cached aggregate
 * whenever the unit of work that loaded it rolls back, since the command may have applied events to it before it
 * failed. Most failures change nothing: a refused command (no seat left, an address already seated) or one whose
 * caller went away. Dropping a 100,000-seat pool then cost the next command ~1.3 s to load it again under the pool's
 * lock, and with sixteen clients every command behind it waited that long. So a removal while a unit of work rolls
 * back is ignored when the held aggregate is still at the version it was cached at ({@code version}) and another
 * unit of work cached it; every other removal happens.
 */
public final class RecentlyUsedCache extends WeakReferenceCache {

    /** What {@code version} answers for a value that is no aggregate: such an entry is removed on every rollback. */
    public static final long NO_VERSION = Long.MIN_VALUE;

    private final long weightHeld;
    private final ToLongFunction<Object> weigher;
    private final ToLongFunction<Object> version;
    private final LinkedHashMap<Object, Held> held = new LinkedHashMap<>(16, 0.75f, true);
    private long heldWeight;

    /**
     * @param weigher what an entry weighs (a pool its seats)
     * @param version the version of a cached aggregate as it is now (it changes as a command applies events to it), or
     *                {@link #NO_VERSION}
     */
    public RecentlyUsedCache(long weightHeld, ToLongFunction<Object> weigher, ToLongFunction<Object> version) {
        if (weightHeld < 0) {
            throw new IllegalArgumentException("the weight held must not be negative: " + weightHeld);
        }
        this.weightHeld = weightHeld;
        this.weigher = weigher;
        this.version = version;
        registerCacheEntryListener(new EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                hold(key, value, true);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                hold(key, value, true);
            }

            @Override
            public void onEntryRead(Object key, Object value) {
                hold(key, value, false);
            }

            @Override
            public void onEntryRemoved(Object key) {
                release(key);
            }
        });
    }

    /** {@code cached}: put by a unit of work, which is noted with the version it cached; else read, keeping what was noted. */
    private synchronized void hold(Object key, Object value, boolean cached) {
        long weight = Math.max(1, weigher.applyAsLong(value));
        Held known = held.get(key);
        Held now = !cached && known != null && known.value() == value ? new Held(value, weight, known.version(), known.cachedBy())
                : new Held(value, weight, version.applyAsLong(value), cachingUnitOfWork());
        Held before = held.put(key, now);
        heldWeight += weight - (before == null ? 0 : before.weight());
        Iterator<Map.Entry<Object, Held>> eldestFirst = held.entrySet().iterator();
        while (heldWeight > weightHeld && held.size() > 1) {
            heldWeight -= eldestFirst.next().getValue().weight();
            eldestFirst.remove();
        }
    }

    private synchronized void release(Object key) {
        Held before = held.remove(key);
        if (before != null) {
            heldWeight -= before.weight();
        }
    }

    /** How many entries are held now (the others are weakly reachable only). */
    synchronized int held() {
        return held.size();
    }

    @Override
    public boolean remove(Object key) {
        return !unchangedThroughRollback(key) && super.remove(key);
    }

    /** Whether {@code key} is being removed because a unit of work that neither cached nor changed it rolls back. */
    private synchronized boolean unchangedThroughRollback(Object key) {
        if (!CurrentUnitOfWork.isStarted() || CurrentUnitOfWork.get().phase() != UnitOfWork.Phase.ROLLBACK) {
            return false;
        }
        Held known = held.get(key);
        return known != null && known.version() != NO_VERSION && !CurrentUnitOfWork.get().getMessage().getIdentifier().equals(known.cachedBy())
                && version.applyAsLong(known.value()) == known.version();
    }

    /** The message of the unit of work that caches an entry (not the unit of work itself, which holds much more). */
    private static String cachingUnitOfWork() {
        return CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().getMessage().getIdentifier() : null;
    }

    /** An entry held, with the version it was cached at and the message of the unit of work that cached it. */
    private record Held(Object value, long weight, long version, String cachedBy) {
    }
}
