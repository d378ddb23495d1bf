package io.github.sparkgpt.pipeline;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A stage that needs the whole corpus at once (deduplication compares documents with each other),
 * so it runs on the RDD after the per-document chain instead of inside it. It reports the same way
 * as a {@link DocumentStage}: its drops, counters and bytes in one {@link
 * io.github.sparkgpt.pipeline.stats.StageStats} named {@link #name()}.
 */
public interface CorpusStage extends Stage {
  /**
   * Split {@code docs} into kept and rejected documents with their statistics. The input stays the
   * caller's; the result's outputs are cached: call {@link CorpusResult#unpersist()} once both
   * streams are written.
   */
  CorpusResult run(JavaRDD<Document> docs);

  /**
   * Per-document stages this stage needs in the chain before the quality filters (near-duplicate
   * signatures of the text as read); none by default.
   */
  default List<DocumentStage> beforeQuality() {
    return List.of();
  }

  /**
   * Runs {@code stage} on {@code docs}; fails when it counted a drop under a reason it does not
   * declare.
   */
  static CorpusResult runDeclared(CorpusStage stage, JavaRDD<Document> docs) {
    CorpusResult r = stage.run(docs);
    if (!stage.dropReasons().containsAll(r.stats().drops().keySet())) {
      r.unpersist();
      throw new IllegalStateException(
          stage.name()
              + " dropped documents for "
              + r.stats().drops().keySet()
              + " but declares only "
              + stage.dropReasons());
    }
    return r;
  }
}
