package io.github.sparkgpt.pipeline.stats;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Power-of-two bucketed histogram of non-negative values (lengths, cluster sizes); mergeable across
 * partitions.
 */
public final class Histogram implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int BUCKETS = 40;

  private final long[] counts = new long[BUCKETS];
  private long n;
  private long sum;
  private long max;
  private long min = Long.MAX_VALUE;

  public void add(long value) {
    if (value < 0) throw new IllegalArgumentException("negative value " + value);
    counts[bucket(value)]++;
    n++;
    sum += value;
    max = Math.max(max, value);
    min = Math.min(min, value);
  }

  public Histogram merge(Histogram o) {
    for (int i = 0; i < BUCKETS; i++) counts[i] += o.counts[i];
    n += o.n;
    sum += o.sum;
    max = Math.max(max, o.max);
    min = Math.min(min, o.min);
    return this;
  }

  /** Bucket 0 holds 0; bucket k >= 1 holds [2^(k-1), 2^k). */
  static int bucket(long v) {
    return v == 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(v));
  }

  public long count() {
    return n;
  }

  public long sum() {
    return sum;
  }

  public long max() {
    return n == 0 ? 0 : max;
  }

  public long min() {
    return n == 0 ? 0 : min;
  }

  public double mean() {
    return n == 0 ? 0 : (double) sum / n;
  }

  /** Non-empty buckets as "lo-hi" -> count, in ascending order. */
  public Map<String, Long> buckets() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] == 0) continue;
      String label = i == 0 ? "0" : i == 1 ? "1" : (1L << (i - 1)) + "-" + ((1L << i) - 1);
      out.put(label, counts[i]);
    }
    return out;
  }
}
