package io.github.sparkgpt.model;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the batches of preference training ({@link GptDpoLayer}) and of response log-probabilities
 * ({@link ResponseLogProbs}). A sequence is prompt + response ids; its labels hold the next token
 * only where that token belongs to the response, so every sum over counted positions is {@code log
 * pi(response | prompt)}. Every sequence is laid out at width T = context length, so batches merge
 * (DL4J's Spark workers re-batch their partitions).
 */
public final class DpoBatch {

  /** One preference pair: the prompt's ids, two responses to it, the reference log-probs. */
  public record Pair(
      int[] prompt, int[] chosen, int[] rejected, double refChosen, double refRejected) {}

  private DpoBatch() {}

  /**
   * True when prompt + response fits a model of this context (at most T + 1 ids, both non-empty).
   */
  public static boolean fits(int[] prompt, int[] response, int contextLength) {
    return prompt.length >= 1
        && response.length >= 1
        && prompt.length + response.length <= contextLength + 1;
  }

  /** Features [B, 2T] and labels [B, 2T + 2] of {@link GptDpoLayer}. */
  public static DataSet pairs(List<Pair> pairs, int contextLength, DataType dt) {
    if (pairs.isEmpty()) throw new IllegalArgumentException("empty batch");
    int t = contextLength;
    double[][] f = new double[pairs.size()][2 * t];
    double[][] l = new double[pairs.size()][2 * t + 2]; // double: the reference values keep digits
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      write(f[i], l[i], 0, p.prompt(), p.chosen(), t);
      write(f[i], l[i], t, p.prompt(), p.rejected(), t);
      l[i][2 * t] = p.refChosen();
      l[i][2 * t + 1] = p.refRejected();
    }
    return new DataSet(Nd4j.createFromArray(f).castTo(dt), Nd4j.createFromArray(l).castTo(dt));
  }

  /** Features [N, T] and response-only labels [N, T] in the language model's layout. */
  static DataSet sequences(int[][] prompts, int[][] responses, int contextLength, DataType dt) {
    if (prompts.length != responses.length) {
      throw new IllegalArgumentException(
          prompts.length + " prompts but " + responses.length + " responses");
    }
    double[][] f = new double[prompts.length][contextLength];
    double[][] l = new double[prompts.length][contextLength];
    for (int i = 0; i < prompts.length; i++) {
      write(f[i], l[i], 0, prompts[i], responses[i], contextLength);
    }
    return new DataSet(Nd4j.createFromArray(f).castTo(dt), Nd4j.createFromArray(l).castTo(dt));
  }

  /**
   * Writes one sequence at column {@code offset}: ids then 0 padding, labels -1 except at positions
   * t whose next id s[t+1] is a response token.
   */
  private static void write(
      double[] features, double[] labels, int offset, int[] prompt, int[] response, int t) {
    if (!fits(prompt, response, t)) {
      throw new IllegalArgumentException(
          "prompt of "
              + prompt.length
              + " and response of "
              + response.length
              + " tokens: need both >= 1 and together <= "
              + (t + 1)
              + " (context_length + 1)");
    }
    Arrays.fill(labels, offset, offset + t, GptLmLayer.IGNORE);
    int n = prompt.length + response.length;
    for (int i = 0; i < n - 1; i++) {
      features[offset + i] = i < prompt.length ? prompt[i] : response[i - prompt.length];
      if (i + 1 >= prompt.length) labels[offset + i] = response[i + 1 - prompt.length];
    }
  }
}
