package io.github.sparkgpt.pipeline.dedup;

import io.github.sparkgpt.pipeline.CorpusResult;
import io.github.sparkgpt.pipeline.CorpusStage;
import io.github.sparkgpt.pipeline.Document;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Exact deduplication: documents whose normalised texts are equal form a group; the smallest id
 * survives and the others are rejected ({@code exact_duplicate}, detail = the survivor's id). The
 * survivor depends only on ids, not on partitioning. Key: 128 bits of SHA-256 of the normalised
 * text (see {@link ExactKey} for why SHA-256).
 *
 * <p>Normalisation, each a parameter: {@code lowercase} (by code point, locale-independent) and
 * {@code collapse_whitespace} (runs of whitespace become one space; leading and trailing whitespace
 * removed).
 *
 * <p>Data flow: only (key, id, partition) records are shuffled and sorted; each group streams out
 * as a star around its smallest id; verdicts go back to the documents' own partitions (see {@link
 * DedupOutputs}). The input is read twice (keys, then verdicts), so it is persisted for the run
 * unless the caller already persisted it.
 */
public final class ExactDedup implements CorpusStage {
  private static final long serialVersionUID = 1L;
  public static final String STAGE = "exact_dedup";
  public static final String REASON = "exact_duplicate";

  private boolean lowercase = true;
  private boolean collapseWhitespace = true;
  private int numPartitions = 0;
  private String storageLevel = "MEMORY_AND_DISK";

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public List<String> dropReasons() {
    return List.of(REASON);
  }

  /** Compare texts case-insensitively (default true). */
  public ExactDedup setLowercase(boolean v) {
    lowercase = v;
    return this;
  }

  /**
   * Treat any run of whitespace as one space and ignore leading/trailing whitespace (default true).
   */
  public ExactDedup setCollapseWhitespace(boolean v) {
    collapseWhitespace = v;
    return this;
  }

  /** Partitions of the shuffle that groups the keys; 0 (default) = as many as the input has. */
  public ExactDedup setNumPartitions(int v) {
    numPartitions = v;
    return this;
  }

  /** Spark storage level of the cached input and outputs (default MEMORY_AND_DISK). */
  public ExactDedup setStorageLevel(String v) {
    storageLevel = v;
    return this;
  }

  /** The parameters by config key, for logs and {@code stats.json}. */
  public Map<String, Object> parameters() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("lowercase", lowercase);
    m.put("collapse_whitespace", collapseWhitespace);
    m.put("num_partitions", numPartitions);
    m.put("storage_level", storageLevel);
    return m;
  }

  @Override
  public void validate() {
    if (numPartitions < 0) {
      throw new IllegalArgumentException(
          "exact_dedup.num_partitions must be >= 0 (0 = input partitions), got " + numPartitions);
    }
    DedupSupport.storageLevel(STAGE, storageLevel);
  }

  /**
   * Deduplicate {@code docs}. The result's outputs are cached: call {@link
   * CorpusResult#unpersist()} after use.
   */
  @Override
  public CorpusResult run(JavaRDD<Document> docs) {
    validate();
    StorageLevel level = DedupSupport.storageLevel(STAGE, storageLevel);
    boolean persistedHere = DedupSupport.persistIfNeeded(docs, level);
    int parts = numPartitions > 0 ? numPartitions : Math.max(1, docs.getNumPartitions());
    boolean lower = lowercase, collapse = collapseWhitespace;

    JavaRDD<GroupMember> keyed =
        docs.mapPartitionsWithIndex(
            (p, it) -> {
              ExactKey key = new ExactKey(lower, collapse); // one digest and buffer per task
              return DedupSupport.map(
                  it,
                  d -> {
                    key.hash(d.text());
                    return new GroupMember(key.hi, key.lo, new DocRef(d.id(), p));
                  });
            },
            true);
    // Exact equality is transitive: the stars already are the final groups.
    JavaPairRDD<DocRef, String> labels =
        GroupMember.starEdges(keyed, parts)
            .mapToPair(e -> new scala.Tuple2<>(e._1(), e._2().id()))
            .persist(level);
    CorpusResult result = DedupOutputs.apply(docs, labels, STAGE, REASON, level, Map.of(), null);
    labels.unpersist(false);
    if (persistedHere) docs.unpersist(false);
    return result;
  }
}
