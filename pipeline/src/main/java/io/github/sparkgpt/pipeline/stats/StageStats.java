package io.github.sparkgpt.pipeline.stats;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Documents and UTF-8 bytes into and out of one stage, drops by reason and other named counters. Mergeable, so
 * partitions compute their own and the driver adds them up.
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

  public StageStats addDrops(String reason, long n) {
    if (n != 0) drops.merge(reason, n, Long::sum);
    return this;
  }

  public StageStats merge(StageStats o) {
    if (!stage.equals(o.stage)) throw new IllegalArgumentException("cannot merge " + o.stage + " into " + stage);
    docsIn += o.docsIn;
    docsOut += o.docsOut;
    bytesIn += o.bytesIn;
    bytesOut += o.bytesOut;
    o.drops.forEach((k, v) -> drops.merge(k, v, Long::sum));
    o.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
    return this;
  }

  public String stage() { return stage; }
  public long docsIn() { return docsIn; }
  public long docsOut() { return docsOut; }
  public long bytesIn() { return bytesIn; }
  public long bytesOut() { return bytesOut; }
  public Map<String, Long> drops() { return drops; }
  public Map<String, Long> counters() { return counters; }

  public long dropped() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }
}
