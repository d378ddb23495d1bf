package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.train.AveragingSettings;
import io.github.sparkgpt.jobs.train.EpochRounds;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * SFT with parameter averaging ({@link ParameterAveraging}), as finetune: the encoded examples live
 * on the driver; each epoch they are shuffled, cut into batches of one width (the longest training
 * sequence) and shipped round by round.
 */
final class SftTrainer {
  private final SftSettings settings;
  private final AveragingSettings averaging;
  private final PrintStream log;

  SftTrainer(SftSettings settings, int workers, PrintStream log) {
    this.settings = settings;
    this.averaging =
        AveragingSettings.of(
            workers,
            settings.getBatchSize(),
            settings.getAveragingFrequency(),
            settings.getSeed(),
            false);
    this.log = log;
  }

  /** Optimizer steps per worker for the whole run: the schedule's length. */
  long totalSteps(int examples) {
    long batches = (examples + settings.getBatchSize() - 1) / settings.getBatchSize();
    return EpochRounds.totalSteps(batches, settings.getEpochs(), averaging.workers());
  }

  record Result(long steps, double firstLoss, double lastLoss, double seconds) {}

  /** Called after each epoch (1-based) with the training loss of its last round. */
  interface EpochEnd {
    void after(int epoch, double trainLoss);
  }

  /**
   * Trains {@code net} in place (its updater carries the schedule of {@link #totalSteps}); calls
   * {@code afterEpoch} after each epoch.
   */
  Result train(
      JavaSparkContext jsc,
      ComputationGraph net,
      List<SftEncoder.Example> train,
      EpochEnd afterEpoch)
      throws IOException {
    int width = SftBatches.widthOf(train);
    boolean promptLoss = settings.getPromptLossWeight() > 0;
    long total = totalSteps(train.size());
    log.printf(
        Locale.ROOT,
        "sft: %,d training examples, %d workers x batch %d, width %d, averaging every %d steps,"
            + " %d epochs = %d steps%n",
        train.size(),
        averaging.workers(),
        settings.getBatchSize(),
        width,
        settings.getAveragingFrequency(),
        settings.getEpochs(),
        total);
    EpochRounds<DataSet> rounds =
        new EpochRounds<>(
            jsc,
            settings.getEpochs(),
            averaging,
            epoch ->
                SftBatches.shuffled(
                    train,
                    settings.getBatchSize(),
                    width,
                    promptLoss,
                    new Random(settings.getSeed() + epoch)));
    double[] firstLast = {Double.NaN, Double.NaN};
    long t0 = System.nanoTime();
    long steps =
        new ParameterAveraging(jsc, net, averaging)
            .run(
                rounds,
                0,
                r -> {
                  firstLast[1] = r.loss();
                  if (Double.isNaN(firstLast[0])) firstLast[0] = r.loss();
                  log.printf(
                      Locale.ROOT,
                      "step %d/%d | epoch %d | loss %.4f%n",
                      r.step(),
                      total,
                      r.epoch() + 1,
                      r.loss());
                  if (r.endsEpoch()) afterEpoch.after(r.epoch() + 1, r.loss());
                });
    return new Result(steps, firstLast[0], firstLast[1], (System.nanoTime() - t0) / 1e9);
  }
}
