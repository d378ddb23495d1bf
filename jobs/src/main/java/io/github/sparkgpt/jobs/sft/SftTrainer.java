package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.train.EpochTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * SFT with parameter averaging, as finetune ({@link EpochTrainer}): each epoch the encoded examples
 * are shuffled and cut into batches of one width (the longest training sequence).
 */
final class SftTrainer {
  private final SftSettings settings;
  private final EpochTrainer trainer;

  SftTrainer(SftSettings settings, int workers, PrintStream log) {
    this.settings = settings;
    this.trainer = new EpochTrainer("sft", settings, workers, log);
  }

  long totalSteps(int examples) {
    return trainer.totalSteps(examples);
  }

  /** Trains {@code net} in place; {@code listener} hears the end of every epoch. */
  EpochTrainer.Result train(
      JavaSparkContext jsc,
      ComputationGraph net,
      List<SftEncoder.Example> train,
      EpochTrainer.Listener listener)
      throws IOException {
    boolean promptLoss = settings.getPromptLossWeight() > 0;
    int perRound = trainer.batchesPerRound();
    return trainer.run(
        jsc,
        net,
        train.size(),
        "width up to " + SftBatches.widthOf(train) + " (each round padded to its longest)",
        epoch ->
            SftBatches.shuffled(
                train,
                settings.getBatchSize(),
                perRound,
                promptLoss,
                new Random(settings.getSeed() + epoch)),
        listener);
  }
}
