package io.github.sparkgpt.pipeline.tokenizer;

import java.util.Arrays;

/**
 * Binary min-heap of longs, without boxing; the merge loop packs (rank, position) into one long.
 */
final class LongHeap {
  private static final int MIN_CAPACITY = 8;

  private long[] h;
  private int n;

  LongHeap(int capacity) {
    h = new long[Math.max(capacity, MIN_CAPACITY)];
  }

  boolean isEmpty() {
    return n == 0;
  }

  void push(long v) {
    if (n == h.length) h = Arrays.copyOf(h, n * 2);
    int i = n++;
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (h[p] <= v) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = v;
  }

  /** Removes and returns the smallest value; the heap must not be empty. */
  long pop() {
    long top = h[0];
    long v = h[--n];
    int i = 0;
    while (true) {
      int c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1] < h[c]) c++;
      if (v <= h[c]) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = v;
    return top;
  }
}
