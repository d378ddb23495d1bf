package io.github.sparkgpt.pipeline.tokenizer;

import java.util.Arrays;

/** Growable int array: the ids of one encode call, without boxing. */
final class IntBuffer {
  private static final int MIN_CAPACITY = 8;

  private int[] a;
  private int n;

  IntBuffer(int capacity) {
    a = new int[Math.max(capacity, MIN_CAPACITY)];
  }

  int size() {
    return n;
  }

  void add(int v) {
    if (n == a.length) a = Arrays.copyOf(a, n * 2);
    a[n++] = v;
  }

  void addAll(int[] v) {
    addAll(v, v.length);
  }

  /** Appends {@code v[0..len)}. */
  void addAll(int[] v, int len) {
    if (n + len > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + len));
    System.arraycopy(v, 0, a, n, len);
    n += len;
  }

  /** The values from index {@code from} to the end. */
  int[] copy(int from) {
    return Arrays.copyOfRange(a, from, n);
  }

  int[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
