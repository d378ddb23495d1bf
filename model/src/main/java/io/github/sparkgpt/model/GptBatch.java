package io.github.sparkgpt.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the training {@link DataSet} the GPT network expects from token sequences (see {@link
 * GptModel} for the layout). A sequence of length L <= T+1 gives L-1 counted positions; the rest of
 * the row is right padding.
 */
public final class GptBatch {

  private GptBatch() {}

  /**
   * Sequences of T+1 ids (shorter ones are right-padded) to features [B, T] and labels [B, T] (-1 =
   * ignore).
   */
  public static DataSet fromSequences(int[][] sequences, int contextLength) {
    return fromSequences(sequences, contextLength, DataType.FLOAT);
  }

  public static DataSet fromSequences(int[][] sequences, int contextLength, DataType dataType) {
    int b = sequences.length;
    float[][] features = new float[b][contextLength];
    float[][] labels = new float[b][contextLength];
    for (int i = 0; i < b; i++) {
      int[] s = sequences[i];
      if (s.length < 2 || s.length > contextLength + 1) {
        throw new IllegalArgumentException(
            "sequence "
                + i
                + " has "
                + s.length
                + " tokens; need 2.."
                + (contextLength + 1)
                + " (context_length + 1)");
      }
      java.util.Arrays.fill(labels[i], GptLmLayer.IGNORE);
      for (int t = 0; t < s.length - 1; t++) {
        features[i][t] = s[t];
        labels[i][t] = s[t + 1];
      }
    }
    INDArray f = Nd4j.createFromArray(features).castTo(dataType);
    INDArray l = Nd4j.createFromArray(labels).castTo(dataType);
    return new DataSet(f, l);
  }
}
