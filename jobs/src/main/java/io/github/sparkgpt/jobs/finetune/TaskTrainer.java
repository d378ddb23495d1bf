package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.jobs.train.EpochTrainer;
import io.github.sparkgpt.model.GptTaskBatch;
import io.github.sparkgpt.model.GptTaskModel;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * examples live on the driver; each epoch they are shuffled, cut into batches of one width (the
 * longest training sequence) and shipped round by round.
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
    int width = widthOf(train);
    // Frozen parameters (freeze_blocks) get zero updates on every worker; averaging identical
    // copies (sum, then
    // divide) may still round them, so the driver writes its own copy back after every round.
    Map<String, INDArray> frozen = GptTaskModel.frozenParameters(net);
    int maskWidth = GptTaskModel.layerOf(net).headMaskWidth();
    return trainer.run(
        jsc,
        net,
        train.size(),
        width,
        epoch ->
            batches(
                train,
                batch,
                width,
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

  /** The batches' one width: the longest training sequence. */
  private static int widthOf(TaskEncoder.Encoded train) {
    int width = 1;
    for (int[][] ex : train.inputs()) for (int[] s : ex) width = Math.max(width, s.length);
    return width;
  }

  /**
   * Shuffled batches of {@code batch} examples (the last may be smaller), all of width {@code
   * width}; with {@code headDropout > 0} each carries its own head-dropout mask of {@code
   * maskWidth} values per example, seeded from {@code rnd} (so every batch and epoch drops other
   * units, reproducibly).
   */
  static List<DataSet> batches(
      TaskEncoder.Encoded data,
      int batch,
      int width,
      int contextLength,
      double headDropout,
      int maskWidth,
      Random rnd) {
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
      DataSet ds =
          data.isScore()
              ? GptTaskBatch.build(x, target, contextLength, width, DataType.FLOAT)
              : GptTaskBatch.build(x, y, contextLength, width, DataType.FLOAT);
      out.add(GptTaskBatch.withHeadDropout(ds, maskWidth, headDropout, rnd.nextLong()));
    }
    return out;
  }
}
