package io.github.sparkgpt.pipeline.dedup;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a dedup stage did, computed exactly by Spark actions (no accumulators).
 *
 * @param stage              {@code exact_dedup} or {@code minhash_dedup}
 * @param documentsIn        documents read
 * @param documentsKept      survivors
 * @param documentsRemoved   rejected duplicates ({@code documentsIn - documentsKept})
 * @param duplicateGroups    groups (exact) or clusters (MinHash) with more than one member
 * @param groupSizeHistogram group size (members, >= 2) to the number of such groups
 * @param extra              stage-specific numbers in insertion order (candidate pairs, rounds, ...)
 */
public record DedupStats(String stage, long documentsIn, long documentsKept, long documentsRemoved,
                         long duplicateGroups, SortedMap<Long, Long> groupSizeHistogram, Map<String, Long> extra)
    implements Serializable {
  public DedupStats {
    groupSizeHistogram = Collections.unmodifiableSortedMap(new TreeMap<>(groupSizeHistogram));
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** Flat snake_case counters for {@code stats.json}: {@code <stage>.documents_removed}, ... */
  public Map<String, Long> toCounters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(stage + ".documents_in", documentsIn);
    m.put(stage + ".documents_kept", documentsKept);
    m.put(stage + ".documents_removed", documentsRemoved);
    m.put(stage + ".duplicate_groups", duplicateGroups);
    groupSizeHistogram.forEach((size, n) -> m.put(stage + ".group_size_" + size, n));
    extra.forEach((k, v) -> m.put(stage + "." + k, v));
    return m;
  }

  @Override public String toString() {
    return stage + ": in=" + documentsIn + " kept=" + documentsKept + " removed=" + documentsRemoved
        + " groups=" + duplicateGroups + " sizes=" + groupSizeHistogram + " " + extra;
  }
}
