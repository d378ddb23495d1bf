package io.github.sparkgpt.model;

import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code log pi(response | prompt)} per sequence: the sum, over the response's tokens only, of the
 * log-probability a language model gives each one after everything before it. The numbers {@link
 * GptDpoLayer}'s loss uses (softmax, the picked probability, {@code log(p + 1e-30)}), so the
 * reference model's values can be computed once, anywhere (e.g. on executors), and travel with the
 * pairs.
 */
public final class ResponseLogProbs {

  private ResponseLogProbs() {}

  /**
   * @param lm a language model ({@link GptModel}); inference only, no dropout
   * @param prompts [N][>= 1] ids; responses [N][>= 1] ids; each prompt + response <= T + 1 ids
   * @param batchSize sequences per forward pass
   * @return [N] log-probabilities (nats, <= 0)
   */
  public static double[] of(
      ComputationGraph lm, int[][] prompts, int[][] responses, int batchSize) {
    if (batchSize < 1)
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    if (prompts.length != responses.length) {
      throw new IllegalArgumentException(
          prompts.length + " prompts but " + responses.length + " responses");
    }
    GptConfig config = GptModel.configOf(lm);
    double[] out = new double[prompts.length];
    for (int from = 0; from < prompts.length; from += batchSize) {
      int to = Math.min(prompts.length, from + batchSize);
      DataSet ds =
          DpoBatch.sequences(
              Arrays.copyOfRange(prompts, from, to),
              Arrays.copyOfRange(responses, from, to),
              config.getContextLength(),
              lm.params().dataType());
      INDArray logits = lm.outputSingle(ds.getFeatures());
      double[] part = fromLogits(logits, ds.getLabels());
      Inference.release(logits);
      System.arraycopy(part, 0, out, from, part.length);
    }
    return out;
  }

  /** Logits [N, T, V] and labels [N, T] (-1 = not counted) to the summed log-probs [N]. */
  static double[] fromLogits(INDArray logits, INDArray labels) {
    long n = logits.size(0), t = logits.size(1), v = logits.size(2);
    INDArray probs = Transforms.softmax(logits.reshape(n * t, v), true); // [N*T, V]
    double[] out = new double[(int) n];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < t; p++) {
        long target = labels.getLong(i, p);
        if (target < 0) continue;
        out[i] += Math.log(probs.getDouble(i * t + p, target) + 1e-30);
      }
    }
    Inference.release(probs);
    return out;
  }
}
