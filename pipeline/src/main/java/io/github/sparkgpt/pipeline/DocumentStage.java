package io.github.sparkgpt.pipeline;

import java.io.Serializable;

/**
 * One per-document step of the pipeline with one job: a filter (keep or drop with a reason) or a transform
 * (rewrite the text). Stages run inside Spark tasks, so they must be serializable and must not hold driver-side
 * state; heavy resources (a language model, compiled patterns) are created lazily per executor JVM.
 *
 * <p>Parameters are fluent {@code setXxx} methods whose defaults are the published values, bound from the
 * configuration key {@code xxx} (snake_case) by {@link ConfigBinder}; {@link #validate()} rejects bad values
 * before Spark starts.
 */
public interface DocumentStage extends Serializable {
  /** Stable snake_case name used in statistics and in the {@code stage} column of {@code rejected/}. */
  String name();

  /** Process one document. Counters record things other than drops (for example {@code pii_email}). */
  Verdict apply(Document doc, StageCounters counters);

  /** Throw {@link IllegalArgumentException} naming the parameter and what to do, if a parameter is invalid. */
  default void validate() {}
}
