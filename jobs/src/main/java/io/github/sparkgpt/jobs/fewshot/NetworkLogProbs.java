package io.github.sparkgpt.jobs.fewshot;

import io.github.sparkgpt.model.Inference;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link TokenLogProbs} of a pretrained GPT: one forward pass per batch. Shorter sequences are
 * padded on the right; causal attention keeps padding from changing any real position's logits, so
 * no mask is needed.
 */
public final class NetworkLogProbs implements TokenLogProbs {
  private final Inference inference;

  public NetworkLogProbs(Inference inference) {
    this.inference = inference;
  }

  @Override
  public double[][] logProbs(List<int[]> inputs, List<int[]> positions, List<int[]> targets) {
    int b = inputs.size();
    int t = 0;
    for (int[] s : inputs) t = Math.max(t, s.length);
    if (t > inference.config().getContextLength()) {
      throw new IllegalArgumentException(
          "a sequence of "
              + t
              + " tokens exceeds the context "
              + inference.config().getContextLength());
    }
    INDArray ids = Nd4j.zeros(DataType.FLOAT, b, t); // [B, T], padded with token 0
    for (int i = 0; i < b; i++) {
      int[] s = inputs.get(i);
      for (int p = 0; p < s.length; p++) ids.putScalar(i, p, s[p]);
    }
    INDArray logits = inference.logits(ids); // [B, T, V]
    double[][] out = new double[b][];
    for (int i = 0; i < b; i++) {
      int[] pos = positions.get(i), tgt = targets.get(i);
      out[i] = new double[pos.length];
      for (int j = 0; j < pos.length; j++) {
        float[] row =
            logits
                .get(NDArrayIndex.point(i), NDArrayIndex.point(pos[j]), NDArrayIndex.all())
                .castTo(DataType.FLOAT)
                .toFloatVector(); // [V]
        out[i][j] = row[tgt[j]] - logSumExp(row);
      }
    }
    Inference.release(logits);
    return out;
  }

  private static double logSumExp(float[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : x) max = Math.max(max, v);
    double sum = 0;
    for (float v : x) sum += Math.exp(v - max);
    return max + Math.log(sum);
  }
}
