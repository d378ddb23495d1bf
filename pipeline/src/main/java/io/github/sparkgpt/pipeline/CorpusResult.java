package io.github.sparkgpt.pipeline;

import io.github.sparkgpt.pipeline.stats.StageStats;
import org.apache.spark.api.java.JavaRDD;

/**
 * Survivors, rejections and statistics of a {@link CorpusStage}. Both streams are views of one
 * persisted, already materialised RDD of {@link StageOutput}, so writing {@link #kept()} and then
 * {@link #rejected()} does not recompute the input lineage. The caller owns that cache: call {@link
 * #unpersist()} (or close) once both streams have been written. The stage's input RDD stays the
 * caller's: the stage never unpersists it.
 */
public final class CorpusResult implements AutoCloseable {
  private final JavaRDD<StageOutput> outputs;
  private final StageStats stats;

  public CorpusResult(JavaRDD<StageOutput> outputs, StageStats stats) {
    this.outputs = outputs;
    this.stats = stats;
  }

  /** The kept documents, in the input's partitions and order. */
  public JavaRDD<Document> kept() {
    return outputs.filter(StageOutput::isKept).map(StageOutput::document);
  }

  /** The removed documents with their stage and reason. */
  public JavaRDD<RejectedDocument> rejected() {
    return outputs.filter(o -> !o.isKept()).map(StageOutput::rejected);
  }

  /** Both streams in one RDD (persisted), for callers that write them in one pass. */
  public JavaRDD<StageOutput> outputs() {
    return outputs;
  }

  public StageStats stats() {
    return stats;
  }

  /** Release the cached outputs. */
  public void unpersist() {
    outputs.unpersist(false);
  }

  @Override
  public void close() {
    unpersist();
  }
}
