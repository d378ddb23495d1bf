package io.github.sparkgpt.pipeline;

import java.io.Serializable;
import java.util.List;

/**
 * What every preprocess stage has, whether it judges one document at a time ({@link DocumentStage})
 * or needs the whole corpus ({@link CorpusStage}): a stable name, the drop reasons it counts, and
 * parameters checked before Spark starts. Statistics of every stage are one {@link
 * io.github.sparkgpt.pipeline.stats.StageStats} under its name.
 *
 * <p>Parameters are fluent {@code setXxx} methods whose defaults are the published values, bound
 * from the configuration key {@code xxx} (snake_case) by {@link ConfigBinder}.
 */
public interface Stage extends Serializable {
  /**
   * Stable snake_case name used in statistics and in the {@code stage} column of {@code rejected/}.
   */
  String name();

  /**
   * The reasons this stage drops documents for, when it has a fixed set (deduplication: one).
   * Filters whose reasons are named per rule (see {@link Verdict}) return none here; every stage
   * may also drop {@code <name>_error} for a document that broke it.
   */
  default List<String> dropReasons() {
    return List.of();
  }

  /**
   * Throw {@link IllegalArgumentException} naming the parameter and what to do, if a parameter is
   * invalid.
   */
  default void validate() {}
}
