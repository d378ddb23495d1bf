package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.jobs.train.EpochTrainer;
import io.github.sparkgpt.jobs.train.LengthBuckets;
import io.github.sparkgpt.model.GptTaskBatch;
import io.github.sparkgpt.model.GptTaskModel;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Fine-tuning with parameter averaging, as the pretrain job ({@link EpochTrainer}): the encoded
 * examples live on the driver; each epoch they are shuffled, cut into batches ({@link
 * LengthBuckets}: one width per averaging round) and shipped round by round.
 */
public final class TaskTrainer {
  private final FinetuneSettings settings;
  private final EpochTrainer trainer;

  public TaskTrainer(FinetuneSettings settings, int workers, PrintStream log) {
    this.settings = settings;
    this.trainer = new EpochTrainer("finetune", settings, workers, log);
  }

  /** Optimizer steps per worker for the whole run: the schedule's length. */
  public long totalSteps(int examples) {
    return trainer.totalSteps(examples);
  }

  /**
   * Trains {@code net} in place (its updater already carries the schedule of {@link #totalSteps});
   * calls {@code afterEpoch} with the epoch number (1-based) after each epoch.
   */
  public EpochTrainer.Result train(
      JavaSparkContext jsc,
      ComputationGraph net,
      TaskEncoder.Encoded train,
      int contextLength,
      Consumer<Integer> afterEpoch)
      throws IOException {
    int batch = settings.getBatchSize();
    int perRound = trainer.batchesPerRound();
    int buckets = settings.getBucketRounds();
    // Frozen parameters (freeze_blocks) get zero updates on every worker; averaging identical
    // copies (sum, then divide) may still round them, so the driver writes its own copy back
    // after every round.
    Map<String, INDArray> frozen = GptTaskModel.frozenParameters(net);
    int maskWidth = GptTaskModel.layerOf(net).headMaskWidth();
    return trainer.run(
        jsc,
        net,
        train.size(),
        paddingPlan(train, perRound),
        epoch ->
            batches(
                train,
                batch,
                perRound,
                buckets,
                contextLength,
                settings.getHeadDropout(),
                maskWidth,
                new Random(settings.getSeed() + epoch)),
        new EpochTrainer.Listener() {
          @Override
          public void afterRound() {
            GptTaskModel.restoreFrozen(net, frozen);
          }

          @Override
          public void afterEpoch(int epoch, double trainLoss) {
            afterEpoch.accept(epoch);
          }
        });
  }

  /**
   * The padded positions of an epoch (what a step's compute scales with) against padding every
   * batch to the longest example, for the plan line.
   */
  private String paddingPlan(TaskEncoder.Encoded train, int perRound) {
    int[] lengths = lengths(train);
    long padded =
        LengthBuckets.paddedPositions(
            LengthBuckets.epoch(
                lengths,
                settings.getBatchSize(),
                perRound,
                settings.getBucketRounds(),
                new Random(0)));
    long longest = (long) lengths.length * java.util.Arrays.stream(lengths).max().orElse(0);
    return String.format(
        Locale.ROOT,
        "%,d padded positions per epoch (%.0f%% of padding all to the longest)",
        padded,
        100.0 * padded / Math.max(1, longest));
  }

  /**
   * One epoch's batches of {@code batch} examples (the last may be smaller), in the order of {@link
   * LengthBuckets}: shuffled, similar lengths in one averaging round of {@code batchesPerRound}
   * batches when {@code bucketRounds > 0}; each round padded to its longest example. With {@code
   * headDropout > 0} each carries its own head-dropout mask of {@code maskWidth} values per
   * example, seeded from {@code rnd} (so every batch and epoch drops other units, reproducibly).
   */
  static List<DataSet> batches(
      TaskEncoder.Encoded data,
      int batch,
      int batchesPerRound,
      int bucketRounds,
      int contextLength,
      double headDropout,
      int maskWidth,
      Random rnd) {
    List<DataSet> out = new ArrayList<>();
    for (LengthBuckets.Batch b :
        LengthBuckets.epoch(lengths(data), batch, batchesPerRound, bucketRounds, rnd)) {
      int n = b.examples().length;
      int[][][] x = new int[n][][];
      int[] y = new int[n];
      double[] target = new double[n];
      for (int i = 0; i < n; i++) {
        int e = b.examples()[i];
        x[i] = data.inputs()[e];
        y[i] = data.labels()[e];
        if (data.isScore()) target[i] = data.targets()[e];
      }
      DataSet ds =
          data.isScore()
              ? GptTaskBatch.build(x, target, contextLength, b.width(), DataType.FLOAT)
              : GptTaskBatch.build(x, y, contextLength, b.width(), DataType.FLOAT);
      out.add(GptTaskBatch.withHeadDropout(ds, maskWidth, headDropout, rnd.nextLong()));
    }
    return out;
  }

  /** Each example's length: its longest sequence (multiple choice has one per answer). */
  static int[] lengths(TaskEncoder.Encoded data) {
    int[] out = new int[data.size()];
    for (int i = 0; i < out.length; i++) {
      for (int[] s : data.inputs()[i]) out[i] = Math.max(out[i], s.length);
    }
    return out;
  }
}
