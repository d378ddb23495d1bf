package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.jobs.TaskRunFiles;
import io.github.sparkgpt.jobs.metrics.RunMetrics.SplitCounts;
import io.github.sparkgpt.pipeline.RejectedDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a task run set aside, with their reasons, and each split's counts: rows in = kept +
 * rejected. The rows become rejected.jsonl, the counts metrics.json's splits.
 */
public final class Quarantine {
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private final Map<String, Long> kept = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> reasons = new LinkedHashMap<>();

  /**
   * A split's outcome: {@code kept} rows go on, {@code rejected} ones are quarantined under their
   * reasons.
   */
  public void split(String split, long keptRows, List<RejectedDocument> rejected) {
    kept.put(split, keptRows);
    Map<String, Long> r = reasons.computeIfAbsent(split, s -> new LinkedHashMap<>());
    for (RejectedDocument d : rejected) add(split, d, r);
  }

  /** A row of an already counted split rejected later (e.g. a prompt too long for the context). */
  public void reject(String split, RejectedDocument d) {
    kept.merge(split, -1L, Long::sum);
    add(split, d, reasons.computeIfAbsent(split, s -> new LinkedHashMap<>()));
  }

  private void add(String split, RejectedDocument d, Map<String, Long> r) {
    rows.add(TaskRunFiles.rejectedRow(split, d));
    r.merge(d.reason(), 1L, Long::sum);
  }

  /** Rows of rejected.jsonl, in the order they were set aside. */
  public List<Map<String, Object>> rows() {
    return rows;
  }

  public long rejected() {
    return rows.size();
  }

  public long kept(String split) {
    return kept.getOrDefault(split, 0L);
  }

  /** Per split: in, kept, rejected by reason. */
  public Map<String, SplitCounts> counts() {
    Map<String, SplitCounts> out = new LinkedHashMap<>();
    kept.forEach(
        (split, k) -> {
          Map<String, Long> r = reasons.getOrDefault(split, Map.of());
          out.put(
              split,
              new SplitCounts(k + r.values().stream().mapToLong(Long::longValue).sum(), k, r));
        });
    return out;
  }
}
