package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.GptTaskModel;
import io.github.sparkgpt.model.TaskHead;
import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupLinearSchedule;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The network a fine-tuning run trains: the pretrained decoder (grown when task tokens were added;
 * none from scratch) under the task head, with Adam on a warmup-then-linear-decay schedule.
 */
final class TaskNetwork {
  private TaskNetwork() {}

  /**
   * {@code totalSteps}: optimizer steps per worker for the whole run; {@code scoreTargets}: the
   * training targets of a regression head, else null.
   */
  static ComputationGraph build(
      FinetuneSettings settings,
      FinetuneRun.Start start,
      TaskHead head,
      long totalSteps,
      double[] scoreTargets) {
    Checkpoint pretrained = start.pretrained();
    GptConfig model = start.model();
    // RoundAdam: parameter-averaging workers restart their iteration count every round (see
    // RoundAdam).
    Adam adam =
        new RoundAdam(
            new WarmupLinearSchedule(
                settings.getLearningRate(),
                WarmupLinearSchedule.warmupFor(settings.getWarmupFraction(), totalSteps),
                totalSteps));
    ComputationGraph decoder =
        settings.isFromScratch()
            ? null
            : start.taskTokens().grown()
                ? GptModel.withVocabulary(
                    pretrained.network(), model.getVocabSize(), settings.getSeed())
                : pretrained.network();
    return GptTaskModel.forTask(
        head,
        model,
        decoder,
        settings.getLmWeight(),
        settings.getFreezeBlocks(),
        adam,
        settings.getSeed(),
        pretrained.network().params().dataType(),
        scoreTargets);
  }
}
