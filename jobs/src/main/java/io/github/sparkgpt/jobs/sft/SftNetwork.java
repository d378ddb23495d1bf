package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.train.TunedLanguageModel;
import io.github.sparkgpt.model.Checkpoint;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The language model an sft run trains: the checkpoint's architecture with Adam on a
 * warmup-then-linear-decay schedule and gradient clipping, holding the checkpoint's weights (or
 * fresh ones from the seed, from scratch).
 */
final class SftNetwork {
  private SftNetwork() {}

  /** {@code totalSteps}: optimizer steps per worker for the whole run. */
  static ComputationGraph build(SftSettings settings, Checkpoint start, long totalSteps) {
    return TunedLanguageModel.build(
        start.config(),
        settings.isFromScratch() ? null : start.network().params(),
        start.network().params().dataType(),
        settings,
        settings.getGradientClip(),
        totalSteps);
  }
}
