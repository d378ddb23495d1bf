package io.github.sparkgpt.jobs.train;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupLinearSchedule;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The language model a tuning run trains (sft, dpo): Adam on a warmup-then-linear-decay schedule
 * over the run's steps, gradient clipping, and the starting weights (or fresh ones from the seed).
 */
public final class TunedLanguageModel {
  private TunedLanguageModel() {}

  /**
   * @param params the starting weights, or null for fresh ones
   * @param totalSteps optimizer steps per worker for the whole run
   */
  public static ComputationGraph build(
      GptConfig config,
      INDArray params,
      DataType dataType,
      EpochSettings settings,
      double gradientClip,
      long totalSteps) {
    // RoundAdam: parameter-averaging workers restart their iteration count every round.
    RoundAdam adam =
        new RoundAdam(
            new WarmupLinearSchedule(
                settings.getLearningRate(),
                WarmupLinearSchedule.warmupFor(settings.getWarmupFraction(), totalSteps),
                totalSteps));
    ComputationGraph net =
        GptModel.create(config, adam, settings.getSeed(), dataType, 0, gradientClip);
    if (params != null) net.setParams(params);
    return net;
  }
}
