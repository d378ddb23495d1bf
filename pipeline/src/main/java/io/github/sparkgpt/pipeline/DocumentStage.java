package io.github.sparkgpt.pipeline;

/**
 * One per-document step of the pipeline with one job: a filter (keep or drop with a reason) or a
 * transform (rewrite the text). Stages run inside Spark tasks, so they must be serializable and
 * must not hold driver-side state; heavy resources (a language model, compiled patterns) are
 * created lazily per executor JVM.
 *
 * <p>The chain ({@link DocumentChain}) counts each drop under the {@link Verdict}'s reason in the
 * stage's statistics.
 */
public interface DocumentStage extends Stage {
  /**
   * Process one document. Counters record things other than drops (for example {@code pii_email}).
   */
  Verdict apply(Document doc, StageCounters counters);
}
