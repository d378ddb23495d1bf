package io.github.sparkgpt.jobs.train;

import io.github.sparkgpt.jobs.train.RoundListener.RoundResult;
import io.github.sparkgpt.model.train.RoundAdam;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Data-parallel training with DL4J's Spark parameter averaging, the one place the jobs talk to it.
 * One round = every worker fits {@code averaging_frequency} batches from the same parameters and
 * Adam state, then the driver averages both ({@code saveUpdater(true)}); the job's {@link
 * RoundListener} runs after each round.
 */
public final class ParameterAveraging {
  private static final String TIME_SOURCE = "org.deeplearning4j.spark.time.TimeSource";
  private static final String LOCAL_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

  private final ComputationGraph net;
  private final SparkComputationGraph spark;
  private final int averagingFrequency;

  /** Trains {@code net} in place; its updater must be a {@link RoundAdam}. */
  public ParameterAveraging(
      JavaSparkContext jsc, ComputationGraph net, AveragingSettings settings) {
    this.net = net;
    this.averagingFrequency = settings.averagingFrequency();
    this.spark = new SparkComputationGraph(jsc, net, trainingMaster(settings));
  }

  /**
   * The Spark settings training needs: Kryo, with ND4J's registrations and arrays as raw bytes
   * ({@link ArrayKryoRegistrator}) for the broadcasts and results, and no cap on the size of task
   * results unless the user set one: every round each worker returns its parameters and Adam state
   * (12 bytes per parameter), so Spark's 1 GB default refuses a round of any model above ~85M
   * parameters (gpt1: 1.34 GB per worker). Results up to Spark's RPC message limit travel in the
   * task's status message rather than through the block manager ({@code
   * spark.task.maxDirectResultSize}, Spark's default 1 MB), where {@code small}'s 51 MB result was
   * stored, fetched and copied again each round (README, pretrain: Around the steps).
   */
  public static SparkConf sparkConf() {
    return new SparkConf()
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.kryo.registrator", ArrayKryoRegistrator.class.getName())
        .setIfMissing("spark.driver.maxResultSize", "0")
        .setIfMissing("spark.task.maxDirectResultSize", "128m")
        .setIfMissing("spark.broadcast.compress", "false");
  }

  /** DL4J's training master for {@code settings}, with workers that keep their network. */
  public static ParameterAveragingTrainingMaster trainingMaster(AveragingSettings settings) {
    if (settings.trainingStats() && System.getProperty(TIME_SOURCE) == null) {
      // DL4J's default time source asks an NTP server: off-line (and in tests) use the local clock.
      System.setProperty(TIME_SOURCE, LOCAL_CLOCK);
    }
    return new WarmWorkerTrainingMaster(
        new ParameterAveragingTrainingMaster.Builder(
                settings.workers(), settings.batchSizePerWorker())
            .batchSizePerWorker(settings.batchSizePerWorker())
            .averagingFrequency(settings.averagingFrequency())
            .workerPrefetchNumBatches(settings.prefetchBatches())
            .saveUpdater(true)
            .rddTrainingApproach(RDDTrainingApproach.Direct)
            // a round's batches are read once; DL4J's default caches each round's serialized copy
            .storageLevel(null)
            .repartionData(
                Repartition
                    .NumPartitionsWorkersDiffers) // rounds already come balanced on `workers`
            .rngSeed(settings.seed())
            .collectTrainingStats(settings.trainingStats()));
  }

  /**
   * Fits every round of {@code source} from optimizer step {@code step}; returns the step reached.
   */
  public long run(BatchSource<DataSet> source, long step, RoundListener listener)
      throws IOException {
    return run(source, spark::fit, step, listener);
  }

  /** As {@link #run}, for networks with several inputs or outputs. */
  public long runMultiDataSet(BatchSource<MultiDataSet> source, long step, RoundListener listener)
      throws IOException {
    return run(source, spark::fitMultiDataSet, step, listener);
  }

  private <B> long run(
      BatchSource<B> source, Consumer<JavaRDD<B>> fit, long step, RoundListener listener)
      throws IOException {
    for (Optional<Round<B>> next = source.next(step); next.isPresent(); next = source.next(step)) {
      Round<B> round = next.get();
      if (round.steps() > averagingFrequency) {
        // DL4J's worker would fit the first averaging_frequency batches and skip the rest
        throw new IllegalStateException(
            "a round of "
                + round.steps()
                + " steps exceeds averaging_frequency "
                + averagingFrequency);
      }
      // Workers rebuild the network from a clone of its configuration, which drops the iteration
      // count: the updater carries the step, and the count restarts at 0.
      RoundAdam.of(net).setStepOffset((int) step);
      net.getConfiguration().setIterationCount(0);
      net.getConfiguration().setEpochCount(round.epoch());
      long t0 = System.nanoTime();
      fit.accept(round.batches());
      double seconds = (System.nanoTime() - t0) / 1e9;
      long from = step;
      step += round.steps();
      listener.afterRound(
          new RoundResult(from, step, round.epoch(), round.endsEpoch(), spark.getScore(), seconds));
    }
    return step;
  }

  /**
   * DL4J's timeline of the rounds so far (broadcast, fit, aggregation per worker) as a
   * self-contained page.
   */
  public void writeStatsPage(Path target) throws Exception {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      StatsUtils.exportStatsAsHTML(spark.getSparkTrainingStats(), out);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
