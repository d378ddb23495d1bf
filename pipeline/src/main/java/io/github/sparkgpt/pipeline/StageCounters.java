package io.github.sparkgpt.pipeline;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counts a stage reports besides its drops (replacements made, characters fixed, ...). One
 * instance per stage per partition; partitions are merged on the driver through a Spark action,
 * never an accumulator, so the numbers are exact even when tasks are retried.
 */
public final class StageCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Infix of counters that hold UTF-8 bytes a rule removed from documents it kept ({@code
   * c4_removed_bytes_policy}): the chain attributes a document's lost bytes to its rules by these
   * names.
   */
  public static final String REMOVED_BYTES = "_removed_bytes_";

  private final TreeMap<String, Long> counts = new TreeMap<>();

  public void add(String name, long delta) {
    if (delta != 0) counts.merge(name, delta, Long::sum);
  }

  public void increment(String name) {
    add(name, 1);
  }

  public long get(String name) {
    return counts.getOrDefault(name, 0L);
  }

  public Map<String, Long> asMap() {
    return counts;
  }

  public StageCounters merge(StageCounters other) {
    other.counts.forEach(this::add);
    return this;
  }
}
