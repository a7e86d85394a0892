package io.seatledger.api.config;

import org.axonframework.common.caching.WeakReferenceCache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loaded aggregates: the most recently used ones held, every other one kept only as long as the garbage collector
 * does not need its memory (weakly). With a weak cache alone, a 100,000-seat pool was lost at every full collection
 * during its bulk import, and each next command loaded it again from its snapshot and events (~50 MB): the memory
 * that had triggered the collection, needed again at once.
 */
public final class RecentlyUsedCache extends WeakReferenceCache {

    private final Map<Object, Object> held;

    public RecentlyUsedCache(int entriesHeld) {
        if (entriesHeld < 0) {
            throw new IllegalArgumentException("entries held must not be negative: " + entriesHeld);
        }
        this.held = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > entriesHeld;
            }
        });
        registerCacheEntryListener(new EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                held.put(key, value);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                held.put(key, value);
            }

            @Override
            public void onEntryRead(Object key, Object value) {
                held.put(key, value);
            }

            @Override
            public void onEntryRemoved(Object key) {
                held.remove(key);
            }
        });
    }

    /** How many entries are held now (the others are weakly reachable only). */
    int held() {
        return held.size();
    }
}
