package io.github.sparkgpt.pipeline.dedup;

import io.github.sparkgpt.pipeline.Document;
import org.apache.spark.api.java.JavaRDD;

/** A corpus-level stage that removes duplicates; unlike per-document stages it needs the whole RDD. */
public interface DedupStage {
  String name();

  void validate();

  DedupResult run(JavaRDD<Document> docs);
}
