package io.seatledger.api.axon;

import org.axonframework.common.caching.WeakReferenceCache;

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
 */
public final class RecentlyUsedCache extends WeakReferenceCache {

    private final long weightHeld;
    private final ToLongFunction<Object> weigher;
    private final LinkedHashMap<Object, Held> held = new LinkedHashMap<>(16, 0.75f, true);
    private long heldWeight;

    public RecentlyUsedCache(long weightHeld, ToLongFunction<Object> weigher) {
        if (weightHeld < 0) {
            throw new IllegalArgumentException("the weight held must not be negative: " + weightHeld);
        }
        this.weightHeld = weightHeld;
        this.weigher = weigher;
        registerCacheEntryListener(new EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                hold(key, value);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                hold(key, value);
            }

            @Override
            public void onEntryRead(Object key, Object value) {
                hold(key, value);
            }

            @Override
            public void onEntryRemoved(Object key) {
                release(key);
            }
        });
    }

    private synchronized void hold(Object key, Object value) {
        long weight = Math.max(1, weigher.applyAsLong(value));
        Held before = held.put(key, new Held(value, weight));
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

    private record Held(Object value, long weight) {
    }
}
