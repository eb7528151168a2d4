package dev.teec.verifier.internal.chain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small thread-safe LRU map. Verification is dominated by ECDSA, so a lock around a {@link
 * LinkedHashMap} costs nothing measurable and keeps eviction exact.
 */
final class BoundedCache<K, V> {
  private final Map<K, V> map;

  BoundedCache(int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("cache size must not be negative: " + maxEntries);
    }
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > maxEntries;
          }
        };
  }

  synchronized V get(K key) {
    return map.get(key);
  }

  synchronized void put(K key, V value) {
    map.put(key, value);
  }

  synchronized int size() {
    return map.size();
  }
}
