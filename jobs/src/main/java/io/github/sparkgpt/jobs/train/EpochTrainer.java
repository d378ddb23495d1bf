package io.github.sparkgpt.jobs.train;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training on driver-held examples (task data sets are small) with parameter averaging: each
 * epoch's batches come from {@code epochBatches} (e.g. shuffled with a seed per epoch) and are
 * shipped round by round ({@link EpochRounds}); the run's plan and every round's loss are logged.
 */
public final class EpochTrainer {
  private final String job;
  private final AveragingSettings averaging;
  private final int epochs;
  private final PrintStream log;

  /** {@code workers}: the data-parallel copies (the settings' 0 already resolved). */
  public EpochTrainer(String job, EpochSettings settings, int workers, PrintStream log) {
    this.job = job;
    this.averaging =
        AveragingSettings.of(
            workers,
            settings.getBatchSize(),
            settings.getAveragingFrequency(),
            settings.getSeed(),
            false);
    this.epochs = settings.getEpochs();
    this.log = log;
  }

  /** Optimizer steps per worker for the whole run: the schedule's length. */
  public long totalSteps(int examples) {
    int batch = averaging.batchSizePerWorker();
    return EpochRounds.totalSteps((examples + batch - 1) / batch, epochs, averaging.workers());
  }

  public record Result(long steps, double firstLoss, double lastLoss, double seconds) {}

  /**
   * What a job does after each round, and after each epoch (1-based, with its last round's loss).
   */
  public interface Listener {
    default void afterRound() {}

    void afterEpoch(int epoch, double trainLoss) throws IOException;
  }

  /** Batches per averaging round: a round's batches must share one width. */
  public int batchesPerRound() {
    return averaging.batchesPerRound();
  }

  /**
   * Trains {@code net} in place (its updater already carries the schedule of {@link #totalSteps})
   * on {@code examples} examples; {@code batchShape} (e.g. "width 64") goes into the plan line.
   */
  public Result run(
      JavaSparkContext jsc,
      ComputationGraph net,
      int examples,
      String batchShape,
      IntFunction<List<DataSet>> epochBatches,
      Listener listener)
      throws IOException {
    long total = totalSteps(examples);
    log.printf(
        Locale.ROOT,
        "%s: %,d training examples, %d workers x batch %d, %s, averaging every %d steps, %d"
            + " epochs = %d steps%n",
        job,
        examples,
        averaging.workers(),
        averaging.batchSizePerWorker(),
        batchShape,
        averaging.averagingFrequency(),
        epochs,
        total);
    EpochRounds<DataSet> rounds = new EpochRounds<>(jsc, epochs, averaging, epochBatches);
    double[] firstLast = {Double.NaN, Double.NaN};
    long t0 = System.nanoTime();
    long steps =
        new ParameterAveraging(jsc, net, averaging)
            .run(
                rounds,
                0,
                r -> {
                  listener.afterRound();
                  firstLast[1] = r.loss();
                  if (Double.isNaN(firstLast[0])) firstLast[0] = r.loss();
                  log.printf(
                      Locale.ROOT,
                      "step %d/%d | epoch %d | loss %.4f%n",
                      r.step(),
                      total,
                      r.epoch() + 1,
                      r.loss());
                  if (r.endsEpoch()) listener.afterEpoch(r.epoch() + 1, r.loss());
                });
    return new Result(steps, firstLast[0], firstLast[1], (System.nanoTime() - t0) / 1e9);
  }
}
