package io.github.sparkgpt.jobs.fewshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws K distinct demonstrations from the training examples with a seeded RNG: once, for every
 * query (the default, so every query sees the same prompt prefix), or afresh for each query ({@code
 * resample_shots}).
 */
public final class ShotSampler<T> {
  private final List<T> pool;
  private final int k;
  private final boolean resample;
  private final Random random;
  private List<T> fixed;

  public ShotSampler(List<T> pool, int k, long seed, boolean resample) {
    if (k < 0) throw new IllegalArgumentException("shots must be >= 0");
    if (k > pool.size()) {
      throw new IllegalArgumentException(
          k + " shots asked but only " + pool.size() + " usable training examples");
    }
    this.pool = List.copyOf(pool);
    this.k = k;
    this.resample = resample;
    this.random = new Random(seed);
  }

  /** The shots for the next query, in prompt order. */
  public List<T> next() {
    if (resample) return draw();
    if (fixed == null) fixed = draw();
    return fixed;
  }

  /** Partial Fisher-Yates: k distinct indices in random order. */
  private List<T> draw() {
    int[] idx = new int[pool.size()];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    List<T> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(idx.length - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      out.add(pool.get(idx[i]));
    }
    return out;
  }
}
