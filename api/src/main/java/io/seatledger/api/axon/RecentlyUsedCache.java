package io.seatledger.api.axon;

import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * whenever a unit of work that loaded it rolls back, since the command may have applied events to it before it
 * failed. Most failures change nothing: a refused command (no seat left, an address already seated) or one whose
 * caller went away. Dropping a 100,000-seat pool then cost the next command ~1.3 s to load it again under the pool's
 * lock, and with sixteen clients every command behind it waited that long. So a removal while a unit of work rolls
 * back is ignored when the held aggregate is still at the version it had when it was last read from here (the command
 * applied no event to it) and that version is the last one stored for it (no other instance stored events meanwhile).
 * An aggregate cached without being read first, and any doubt (the store cannot be asked), drop it as before.
 */
public final class RecentlyUsedCache extends WeakReferenceCache {

    private static final Logger log = LoggerFactory.getLogger(RecentlyUsedCache.class);
    /** What {@code version} and {@code storedVersion} answer when there is none to tell. */
    public static final long NO_VERSION = Long.MIN_VALUE;

    private final long weightHeld;
    private final ToLongFunction<Object> weigher;
    private final ToLongFunction<Object> version;
    private final ToLongFunction<Object> storedVersion;
    private final LinkedHashMap<Object, Held> held = new LinkedHashMap<>(16, 0.75f, true);
    private long heldWeight;

    /**
     * @param weigher       what an entry weighs (a pool its seats)
     * @param version       the version of a cached aggregate as it is now (it moves with every event applied to it)
     * @param storedVersion the last version stored for a key (asked only while a unit of work rolls back)
     */
    public RecentlyUsedCache(long weightHeld, ToLongFunction<Object> weigher, ToLongFunction<Object> version, ToLongFunction<Object> storedVersion) {
        if (weightHeld < 0) {
            throw new IllegalArgumentException("the weight held must not be negative: " + weightHeld);
        }
        this.weightHeld = weightHeld;
        this.weigher = weigher;
        this.version = version;
        this.storedVersion = storedVersion;
        registerCacheEntryListener(new EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                hold(key, value, false);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                hold(key, value, false);
            }

            @Override
            public void onEntryRead(Object key, Object value) {
                hold(key, value, true);
            }

            @Override
            public void onEntryRemoved(Object key) {
                release(key);
            }
        });
    }

    /** {@code read}: the version it has now is noted; put: the version noted at the last read is kept. */
    private synchronized void hold(Object key, Object value, boolean read) {
        long weight = Math.max(1, weigher.applyAsLong(value));
        Held known = held.get(key);
        long versionRead = read ? version.applyAsLong(value) : known == null ? NO_VERSION : known.versionRead();
        Held before = held.put(key, new Held(value, weight, versionRead));
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

    /** Whether {@code key} is being removed because a unit of work rolls back although the held aggregate is as stored. */
    private boolean unchangedThroughRollback(Object key) {
        if (!CurrentUnitOfWork.isStarted() || CurrentUnitOfWork.get().phase() != UnitOfWork.Phase.ROLLBACK) {
            return false;
        }
        long versionRead;
        long versionNow;
        synchronized (this) {
            Held known = held.get(key);
            if (known == null || known.versionRead() == NO_VERSION) {
                return false;
            }
            versionRead = known.versionRead();
            versionNow = version.applyAsLong(known.value());
        }
        if (versionNow != versionRead) {
            return false;
        }
        try {
            return storedVersion.applyAsLong(key) == versionNow;
        } catch (RuntimeException e) {
            log.debug("Could not read the stored version of cached {}; dropping it", key, e);
            return false;
        }
    }

    /** An entry held, with the version its aggregate had when it was last read from here. */
    private record Held(Object value, long weight, long versionRead) {
    }
}
