package io.github.sparkgpt.pipeline.tokenizer;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Open-addressing hash map from non-negative long keys to int values, without boxing. Keys are
 * token pairs packed as {@code (left << 32) | right}. Linear probing; load factor at most 1/2.
 */
final class LongIntMap implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long EMPTY = -1L;

  private long[] keys;
  private int[] values;
  private int size;
  private int shift; // 64 - log2(capacity)

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    alloc(cap);
  }

  static long pair(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  static int left(long pair) {
    return (int) (pair >>> 32);
  }

  static int right(long pair) {
    return (int) pair;
  }

  int size() {
    return size;
  }

  /** Value for {@code key}, or {@code missing}. */
  int get(long key, int missing) {
    int mask = keys.length - 1;
    for (int i = slot(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) return values[i];
      if (k == EMPTY) return missing;
    }
  }

  /** Sets {@code key} to {@code value}; returns the previous value or {@code missing}. */
  int put(long key, int value, int missing) {
    if (key < 0) throw new IllegalArgumentException("negative key " + key);
    int mask = keys.length - 1;
    for (int i = slot(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        int old = values[i];
        values[i] = value;
        return old;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) grow();
        return missing;
      }
    }
  }

  private int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void alloc(int cap) {
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new int[cap];
    shift = 64 - Integer.numberOfTrailingZeros(cap);
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    alloc(oldKeys.length * 2);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) put(oldKeys[i], oldValues[i], 0);
    }
  }
}
