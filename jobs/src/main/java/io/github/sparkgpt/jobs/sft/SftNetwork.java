package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupLinearSchedule;
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
    // RoundAdam: parameter-averaging workers restart their iteration count every round.
    RoundAdam adam =
        new RoundAdam(
            new WarmupLinearSchedule(
                settings.getLearningRate(),
                WarmupLinearSchedule.warmupFor(settings.getWarmupFraction(), totalSteps),
                totalSteps));
    ComputationGraph net =
        GptModel.create(
            start.config(),
            adam,
            settings.getSeed(),
            start.network().params().dataType(),
            0,
            settings.getGradientClip());
    if (!settings.isFromScratch()) net.setParams(start.network().params());
    return net;
  }
}
