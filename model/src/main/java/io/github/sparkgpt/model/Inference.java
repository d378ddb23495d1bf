package io.github.sparkgpt.model;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Next-token logits and per-token log-likelihood from a trained network (inference mode: no
 * dropout). Sequences longer than the context are scored in windows of {@code contextLength}
 * tokens.
 */
public final class Inference {

  private final ComputationGraph net;
  private final GptConfig config;

  public Inference(ComputationGraph net) {
    this.net = net;
    this.config = GptModel.configOf(net);
  }

  public GptConfig config() {
    return config;
  }

  ComputationGraph network() {
    return net;
  }

  /**
   * Logits for the token after {@code prefix} (its last {@code contextLength} tokens are used). [V]
   */
  public float[] nextTokenLogits(int[] prefix) {
    if (prefix.length == 0)
      throw new IllegalArgumentException("prefix must hold at least one token");
    int from = Math.max(0, prefix.length - config.getContextLength());
    INDArray ids = Nd4j.create(DataType.FLOAT, 1, prefix.length - from);
    for (int i = from; i < prefix.length; i++) ids.putScalar(0, i - from, prefix[i]);
    INDArray logits = net.outputSingle(ids); // [1, T, V]
    float[] last =
        logits
            .get(NDArrayIndex.point(0), NDArrayIndex.point(logits.size(1) - 1), NDArrayIndex.all())
            .castTo(DataType.FLOAT)
            .toFloatVector();
    release(logits);
    return last;
  }

  /**
   * Logits of every position for a batch of ids [B, T] (float). [B, T, V]; pass it to {@link
   * #release} when done.
   */
  public INDArray logits(INDArray ids) {
    return net.outputSingle(ids);
  }

  /**
   * Frees an array's off-heap memory now when it owns it (not a view); does nothing to views and
   * closed arrays. Logits are large and a loop of inference passes makes little heap garbage, so
   * without this their memory waits for a garbage collection that comes late.
   */
  public static void release(INDArray a) {
    if (a == null || a.wasClosed() || !a.closeable()) return;
    Pointer memory = a.data().pointer();
    a.close();
    // close() leaves memory ND4J did not allocate itself: VectorForward's logits
    if (memory instanceof VectorForward.LogitsMemory) memory.deallocate();
  }

  /**
   * log p(token_t | tokens_<t) for t = 1..n-1 of one sequence (natural log). Long sequences are
   * scored in non-overlapping windows of contextLength + 1 tokens, so each window restarts its
   * context.
   */
  public double[] tokenLogLikelihoods(int[] tokens) {
    int n = tokens.length;
    double[] out = new double[Math.max(0, n - 1)];
    int t = config.getContextLength();
    for (int start = 0; start < n - 1; start += t) {
      int len = Math.min(t, n - 1 - start); // predicted positions in this window
      INDArray ids = Nd4j.create(DataType.FLOAT, 1, len);
      for (int i = 0; i < len; i++) ids.putScalar(0, i, tokens[start + i]);
      INDArray output = net.outputSingle(ids);
      INDArray logits = output.get(NDArrayIndex.point(0)).castTo(DataType.DOUBLE); // [len, V]
      release(output);
      INDArray max = logits.max(true, 1);
      INDArray lse =
          org.nd4j.linalg.ops.transforms.Transforms.log(
                  org.nd4j.linalg.ops.transforms.Transforms.exp(logits.subColumnVector(max), false)
                      .sum(true, 1),
                  false)
              .addi(max);
      for (int i = 0; i < len; i++) {
        out[start + i] = logits.getDouble(i, tokens[start + i + 1]) - lse.getDouble(i, 0);
      }
      release(logits);
    }
    return out;
  }

  /** Mean negative log-likelihood (nats/token) and perplexity exp(mean NLL) over many sequences. */
  public Perplexity perplexity(Iterable<int[]> sequences) {
    double sum = 0;
    long count = 0;
    for (int[] s : sequences) {
      for (double ll : tokenLogLikelihoods(s)) {
        sum -= ll;
        count++;
      }
    }
    return new Perplexity(count == 0 ? Double.NaN : sum / count, count);
  }

  /** Result of {@link #perplexity}: mean NLL in nats/token over {@code tokens} predicted tokens. */
  public static final class Perplexity {
    private final double meanNll;
    private final long tokens;

    Perplexity(double meanNll, long tokens) {
      this.meanNll = meanNll;
      this.tokens = tokens;
    }

    public double meanNll() {
      return meanNll;
    }

    public double perplexity() {
      return Math.exp(meanNll);
    }

    public long tokens() {
      return tokens;
    }

    @Override
    public String toString() {
      return String.format(
          "ppl %.3f (%.4f nats/token over %,d tokens)", perplexity(), meanNll, tokens);
    }
  }
}
