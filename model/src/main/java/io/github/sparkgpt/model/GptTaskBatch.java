package io.github.sparkgpt.model;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the {@link DataSet} a {@link GptTaskLayer} expects: each example is k token sequences (k =
 * 1 for classification and entailment, 2 orderings for similarity, one per answer for multiple
 * choice), each already laid out by the input transform with the extract token last.
 */
public final class GptTaskBatch {

  private GptTaskBatch() {}

  /**
   * Features only, for prediction: [B, k*T], ids then -1 padding. T = the longest sequence in the
   * batch.
   */
  public static org.nd4j.linalg.api.ndarray.INDArray features(
      int[][][] examples, int contextLength, DataType dt) {
    return build(examples, (int[]) null, contextLength, dt).getFeatures();
  }

  /**
   * @param examples [B][k][len] token ids, 1 <= len <= contextLength, the same k for every example
   * @param labels [B] class index (or index of the right answer); null for features only
   */
  public static DataSet build(int[][][] examples, int[] labels, int contextLength, DataType dt) {
    return build(examples, labels, contextLength, 1, dt);
  }

  /** Real-valued targets (REGRESS, e.g. a similarity score) instead of class indices. */
  public static DataSet build(
      int[][][] examples, double[] targets, int contextLength, DataType dt) {
    return build(examples, targets, contextLength, 1, dt);
  }

  /**
   * As {@link #build(int[][][], int[], int, int, DataType)} with real-valued targets (REGRESS) in
   * labels column 0.
   */
  public static DataSet build(
      int[][][] examples, double[] targets, int contextLength, int minWidth, DataType dt) {
    return build(
        examples, i -> targets == null ? 0 : (float) targets[i], contextLength, minWidth, dt);
  }

  /**
   * As {@link #build(int[][][], int[], int, DataType)} with sequence width T = max(minWidth,
   * longest sequence): batches of one width can be merged (DL4J's Spark workers re-batch their
   * partitions).
   */
  public static DataSet build(
      int[][][] examples, int[] labels, int contextLength, int minWidth, DataType dt) {
    return build(examples, i -> labels == null ? 0 : labels[i], contextLength, minWidth, dt);
  }

  /**
   * A training batch with GPT-1's classifier dropout: the labels get {@code maskWidth} more columns
   * per example ({@link GptTaskLayer#headMaskWidth()}), each 0 with probability p, else 1/(1-p)
   * (inverted dropout: the expected head input is unchanged). Draws come from {@code new
   * Random(seed)}: give every batch its own seed so each step drops other units and a run is
   * reproducible. p = 0 returns {@code batch} itself.
   */
  public static DataSet withHeadDropout(DataSet batch, int maskWidth, double p, long seed) {
    if (!(p >= 0 && p < 1))
      throw new IllegalArgumentException("head dropout must be in [0, 1), got " + p);
    if (p == 0) return batch;
    INDArray labels = batch.getLabels(); // [B, 1 + k*T]
    java.util.Random rnd = new java.util.Random(seed);
    float kept = (float) (1 / (1 - p));
    float[][] mask = new float[(int) labels.size(0)][maskWidth];
    for (float[] row : mask) {
      for (int j = 0; j < maskWidth; j++) row[j] = rnd.nextDouble() < p ? 0f : kept;
    }
    INDArray m = Nd4j.createFromArray(mask).castTo(labels.dataType()); // [B, M]
    return new DataSet(batch.getFeatures(), Nd4j.hstack(labels, m)); // [B, 1 + k*T + M]
  }

  private static DataSet build(
      int[][][] examples,
      java.util.function.IntToDoubleFunction column0,
      int contextLength,
      int minWidth,
      DataType dt) {
    int b = examples.length;
    if (b == 0) throw new IllegalArgumentException("empty batch");
    int k = examples[0].length;
    int t = Math.max(1, minWidth);
    for (int[][] ex : examples) {
      if (ex.length != k)
        throw new IllegalArgumentException(
            "every example needs " + k + " sequences, got " + ex.length);
      for (int[] s : ex) {
        if (s.length < 1 || s.length > contextLength) {
          throw new IllegalArgumentException(
              "sequence of "
                  + s.length
                  + " tokens; need 1.."
                  + contextLength
                  + " (context_length): truncate in the input transform");
        }
        t = Math.max(t, s.length);
      }
    }
    float[][] f = new float[b][k * t];
    float[][] l = new float[b][1 + k * t];
    for (int i = 0; i < b; i++) {
      Arrays.fill(f[i], -1f);
      Arrays.fill(l[i], GptLmLayer.IGNORE);
      l[i][0] = (float) column0.applyAsDouble(i);
      for (int j = 0; j < k; j++) {
        int[] s = examples[i][j];
        for (int p = 0; p < s.length; p++) {
          f[i][j * t + p] = s[p];
          if (p + 1 < s.length)
            l[i][1 + j * t + p] = s[p + 1]; // aux LM: next token within the sequence
        }
      }
    }
    return new DataSet(Nd4j.createFromArray(f).castTo(dt), Nd4j.createFromArray(l).castTo(dt));
  }
}
