package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.model.train.RoundAdam;

import io.github.sparkgpt.model.GptTaskBatch;
import io.github.sparkgpt.model.GptTaskModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Fine-tuning with DL4J's Spark parameter averaging, as the pretrain job: one round = every worker fits
 * {@code averaging_frequency} batches from the same parameters and Adam state, then the driver averages both.
 * The encoded examples live on the driver (task data sets are small); each epoch they are shuffled, cut into
 * batches of one width (the longest training sequence) and shipped round by round.
 */
public final class TaskTrainer {
  private final FinetuneSettings settings;
  private final int workers;
  private final PrintStream log;

  public TaskTrainer(FinetuneSettings settings, int workers, PrintStream log) {
    this.settings = settings;
    this.workers = workers;
    this.log = log;
  }

  /** Optimizer steps per worker for the whole run: the schedule's length. */
  public long totalSteps(int examples) {
    long batches = ceilDiv(examples, settings.getBatchSize());
    return settings.getEpochs() * ceilDiv(batches, workers);
  }

  public record Result(long steps, double firstLoss, double lastLoss, double seconds) {}

  /**
   * Trains {@code net} in place (its updater already carries the schedule of {@link #totalSteps}); calls
   * {@code afterEpoch} with the epoch number (1-based) after each epoch.
   */
  public Result train(JavaSparkContext jsc, ComputationGraph net, TaskEncoder.Encoded train, int contextLength,
                      Consumer<Integer> afterEpoch) {
    int batch = settings.getBatchSize();
    int width = 1;
    for (int[][] ex : train.inputs()) for (int[] s : ex) width = Math.max(width, s.length);
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, batch)
        .batchSizePerWorker(batch)
        .averagingFrequency(settings.getAveragingFrequency())
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.NumPartitionsWorkersDiffers)
        .rngSeed(settings.getSeed())
        .collectTrainingStats(false)
        .build();
    SparkComputationGraph spark = new SparkComputationGraph(jsc, net, master);
    long total = totalSteps(train.size());
    log.printf(Locale.ROOT, "finetune: %,d training examples, %d workers x batch %d, width %d, averaging every %d steps, "
        + "%d epochs = %d steps%n", train.size(), workers, batch, width, settings.getAveragingFrequency(),
        settings.getEpochs(), total);

    // Frozen parameters (freeze_blocks) get zero updates on every worker; averaging identical copies (sum, then
    // divide) may still round them, so the driver writes its own copy back after every round.
    Map<String, INDArray> frozen = GptTaskModel.frozenParameters(net);
    int maskWidth = GptTaskModel.layerOf(net).headMaskWidth();
    long step = 0;
    double first = Double.NaN, last = Double.NaN;
    long t0 = System.nanoTime();
    for (int epoch = 0; epoch < settings.getEpochs(); epoch++) {
      List<DataSet> batches = batches(train, batch, width, contextLength, settings.getHeadDropout(), maskWidth,
          new Random(settings.getSeed() + epoch));
      int perRound = workers * settings.getAveragingFrequency();
      for (int from = 0; from < batches.size(); from += perRound) {
        List<DataSet> round = batches.subList(from, Math.min(batches.size(), from + perRound));
        int slices = Math.min(workers, round.size());
        // Workers restart their iteration count at 0 every round (see RoundAdam): the updater carries the step.
        RoundAdam.of(net).setStepOffset((int) step);
        net.getConfiguration().setIterationCount(0);
        net.getConfiguration().setEpochCount(epoch);
        spark.fit(jsc.parallelize(new ArrayList<>(round), slices));
        GptTaskModel.restoreFrozen(net, frozen);
        step += ceilDiv(round.size(), slices);
        last = spark.getScore();
        if (Double.isNaN(first)) first = last;
        log.printf(Locale.ROOT, "step %d/%d | epoch %d | loss %.4f%n", step, total, epoch + 1, last);
      }
      afterEpoch.accept(epoch + 1);
    }
    return new Result(step, first, last, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Shuffled batches of {@code batch} examples (the last may be smaller), all of width {@code width}; with
   * {@code headDropout > 0} each carries its own head-dropout mask of {@code maskWidth} values per example, seeded
   * from {@code rnd} (so every batch and epoch drops other units, reproducibly).
   */
  static List<DataSet> batches(TaskEncoder.Encoded data, int batch, int width, int contextLength, double headDropout,
                               int maskWidth, Random rnd) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) order.add(i);
    Collections.shuffle(order, rnd);
    List<DataSet> out = new ArrayList<>();
    for (int from = 0; from < order.size(); from += batch) {
      int n = Math.min(batch, order.size() - from);
      int[][][] x = new int[n][][];
      int[] y = new int[n];
      double[] target = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = data.inputs()[order.get(from + i)];
        y[i] = data.labels()[order.get(from + i)];
        if (data.isScore()) target[i] = data.targets()[order.get(from + i)];
      }
      DataSet ds = data.isScore() ? GptTaskBatch.build(x, target, contextLength, width, DataType.FLOAT)
          : GptTaskBatch.build(x, y, contextLength, width, DataType.FLOAT);
      out.add(GptTaskBatch.withHeadDropout(ds, maskWidth, headDropout, rnd.nextLong()));
    }
    return out;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
