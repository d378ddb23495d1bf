package io.github.sparkgpt.pipeline.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Documents and UTF-8 bytes into and out of one stage, drops by reason, other named counters and
 * named distributions (value to count, e.g. near-duplicate cluster sizes). Mergeable, so partitions
 * compute their own and the driver adds them up.
 */
public final class StageStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String stage;
  private long docsIn;
  private long docsOut;
  private long bytesIn;
  private long bytesOut;
  private final TreeMap<String, Long> drops = new TreeMap<>();
  private final TreeMap<String, Long> counters = new TreeMap<>();
  private final ArrayList<Flagged> flagged = new ArrayList<>();
  private final TreeMap<String, SortedMap<Long, Long>> distributions = new TreeMap<>();

  /** Documents listed at most (those losing the largest shares); the counter has them all. */
  public static final int MAX_FLAGGED = 20;

  /**
   * A document the stage kept but cut by more than the flag share: its bytes before, bytes removed,
   * and the removed bytes by rule (counter name to bytes, largest first).
   */
  public record Flagged(
      String id, long bytesBefore, long bytesRemoved, LinkedHashMap<String, Long> rules)
      implements Serializable {
    public double share() {
      return bytesBefore == 0 ? 0 : (double) bytesRemoved / bytesBefore;
    }
  }

  public StageStats(String stage) {
    this.stage = stage;
  }

  public void recordIn(long bytes) {
    docsIn++;
    bytesIn += bytes;
  }

  public void recordOut(long bytes) {
    docsOut++;
    bytesOut += bytes;
  }

  public void recordDrop(String reason) {
    drops.merge(reason, 1L, Long::sum);
  }

  public void addCounter(String name, long delta) {
    if (delta != 0) counters.merge(name, delta, Long::sum);
  }

  /** Record a flagged document; keeps the {@link #MAX_FLAGGED} largest shares (ties by id). */
  public void flag(Flagged f) {
    flagged.add(f);
    trimFlagged();
  }

  private void trimFlagged() {
    flagged.sort(Comparator.comparingDouble(Flagged::share).reversed().thenComparing(Flagged::id));
    while (flagged.size() > MAX_FLAGGED) flagged.remove(flagged.size() - 1);
  }

  public List<Flagged> flagged() {
    return flagged;
  }

  public void addCounters(Map<String, Long> more) {
    more.forEach(this::addCounter);
  }

  /** Bulk form for stages that count on RDDs rather than per document. */
  public StageStats set(long docsIn, long docsOut, long bytesIn, long bytesOut) {
    this.docsIn = docsIn;
    this.docsOut = docsOut;
    this.bytesIn = bytesIn;
    this.bytesOut = bytesOut;
    return this;
  }

  /**
   * Record a distribution (value to count) under a snake_case name; {@code stats.json} lists it at
   * the top level.
   */
  public StageStats putDistribution(String name, SortedMap<Long, Long> counts) {
    distributions.put(name, new TreeMap<>(counts));
    return this;
  }

  public StageStats addDrops(String reason, long n) {
    if (n != 0) drops.merge(reason, n, Long::sum);
    return this;
  }

  public StageStats merge(StageStats o) {
    if (!stage.equals(o.stage))
      throw new IllegalArgumentException("cannot merge " + o.stage + " into " + stage);
    docsIn += o.docsIn;
    docsOut += o.docsOut;
    bytesIn += o.bytesIn;
    bytesOut += o.bytesOut;
    o.drops.forEach((k, v) -> drops.merge(k, v, Long::sum));
    o.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
    flagged.addAll(o.flagged);
    trimFlagged();
    o.distributions.forEach(
        (name, d) -> {
          SortedMap<Long, Long> mine = distributions.computeIfAbsent(name, k -> new TreeMap<>());
          d.forEach((k, v) -> mine.merge(k, v, Long::sum));
        });
    return this;
  }

  public String stage() {
    return stage;
  }

  public long docsIn() {
    return docsIn;
  }

  public long docsOut() {
    return docsOut;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public Map<String, Long> drops() {
    return drops;
  }

  public Map<String, Long> counters() {
    return counters;
  }

  public Map<String, SortedMap<Long, Long>> distributions() {
    return distributions;
  }

  public long dropped() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return stage
        + ": in="
        + docsIn
        + " out="
        + docsOut
        + " dropped="
        + drops
        + " counters="
        + counters
        + (distributions.isEmpty() ? "" : " distributions=" + distributions);
  }
}
