package io.github.sparkgpt.model.decode;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptGraph;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Incremental decoding with a key/value cache, in plain ND4J ops over the parameters of the trained
 * graph ({@code GptGraph}'s names, shapes and math: q | k | v columns with heads contiguous, GELU
 * in tanh form, ND4J's layer norm, tied or separate LM head, pre- or post-LN). One prefill pass
 * over the prompts, then one position per step. Inference only: no dropout. A batch of at most
 * {@code javaRows} rows steps in plain Java ({@link JavaStep}) after the ND4J prefill: ND4J's fixed
 * cost per op dominates a step of a few rows.
 *
 * <p>Thread-safe to share: the weights are read only; each {@link DecodeState} is one caller's.
 */
public final class KvDecoder {
  /**
   * Rows up to which the Java step beats ND4J's ops: per-step time on 2 loaded cores, {@code
   * small}, 64-token prompt: batch 4 Java 6.8-8.0 ms vs ND4J 7.4-8.7, batch 8 12-13 vs 10.4-10.9.
   */
  public static final int JAVA_ROWS = 4;

  private final GptConfig c;
  private final int javaRows;
  private final DecoderWeights weights;
  private JavaStep javaStep; // made on the first small batch: its LM head copy is V x d floats
  private final int d, heads, headSize;
  private final INDArray wte, wpe, lnfG, lnfB, head;
  private final Map<String, INDArray> w;

  public KvDecoder(DecoderWeights weights) {
    this(weights, JAVA_ROWS);
  }

  /** javaRows: batches of at most this many rows step in plain Java (0 = always ND4J). */
  public KvDecoder(DecoderWeights weights, int javaRows) {
    if (javaRows < 0) throw new IllegalArgumentException("javaRows must be >= 0");
    this.javaRows = javaRows;
    this.weights = weights;
    c = weights.config();
    d = c.getDModel();
    heads = c.getHeads();
    headSize = c.headSize();
    w = weights.arrays();
    for (Map.Entry<String, INDArray> e : w.entrySet()) {
      // gains and biases as rows [1, n]; the layer-norm op wants them 1-D
      if (isNorm(e.getKey())) {
        e.setValue(e.getValue().reshape(-1));
      }
    }
    wte = w.get(GptGraph.WTE);
    wpe = w.get(GptGraph.WPE);
    lnfG = w.get(GptGraph.LNF_G);
    lnfB = w.get(GptGraph.LNF_B);
    head = c.isTiedEmbeddings() ? wte : w.get(GptGraph.LM_HEAD);
  }

  private synchronized JavaStep javaStep() {
    if (javaStep == null) javaStep = new JavaStep(weights);
    return javaStep;
  }

  private static boolean isNorm(String name) {
    return name.matches("(h\\d+ln[12]|lnf)[GB]");
  }

  public GptConfig config() {
    return c;
  }

  /**
   * Prefills a batch of prompts (each at least one token, at most capacity) into a new cache with
   * {@code capacity} columns (at most the context length); the state's logits are each prompt's
   * next-token logits.
   */
  public DecodeState start(List<int[]> prompts, int capacity) {
    int longest = 0;
    for (int[] p : prompts) longest = Math.max(longest, p.length);
    if (capacity > c.getContextLength() || longest > capacity || prompts.isEmpty()) {
      throw new IllegalArgumentException(
          "need 1 <= prompt length <= capacity <= context " + c.getContextLength());
    }
    int b = prompts.size();
    int[] pad = new int[b];
    int[] ids = new int[b * longest];
    int[] pos = new int[b * longest];
    for (int r = 0; r < b; r++) {
      int[] p = prompts.get(r);
      if (p.length == 0) throw new IllegalArgumentException("an empty prompt (row " + r + ")");
      pad[r] = longest - p.length;
      for (int t = 0; t < p.length; t++) {
        ids[r * longest + pad[r] + t] = p[t]; // padding keeps id 0 at position 0: masked out
        pos[r * longest + pad[r] + t] = t;
      }
    }
    DecodeState s = new DecodeState(pad, capacity, c.getLayers(), heads, headSize);
    s.logits = forward(s, ids, pos, longest);
    if (b <= javaRows) s.toJava();
    return s;
  }

  /** Feeds one token per row (the one just chosen) and moves the state's logits one step on. */
  public void step(DecodeState s, int[] next) {
    if (s.full()) throw new IllegalStateException("the cache is full: " + s.capacity + " columns");
    if (s.onJavaPath()) {
      javaStep().step(s, next);
      return;
    }
    int[] pos = new int[s.batch];
    for (int r = 0; r < s.batch; r++) pos[r] = s.filled - s.pad[r];
    s.logits = forward(s, next, pos, 1);
  }

  /** ids and positions [B*T] for cache columns filled..filled+T-1 -> logits of the last [B, V]. */
  private INDArray forward(DecodeState s, int[] ids, int[] pos, int t) {
    INDArray x = Nd4j.pullRows(wte, 1, ids).addi(Nd4j.pullRows(wpe, 1, pos)); // [B*T, d]
    INDArray bias = s.bias(s.filled, t); // [B, H, T, cap]
    for (int l = 0; l < c.getLayers(); l++) x = block(s, l, x, t, bias);
    s.filled += t;
    INDArray last = // [B, d]: left padding puts every row's newest token in the last column
        t == 1
            ? x
            : x.reshape('c', s.batch, t, d)
                .get(NDArrayIndex.all(), NDArrayIndex.point(t - 1), NDArrayIndex.all())
                .dup('c');
    if (c.isPreLayerNorm()) last = norm(last, lnfG, lnfB);
    return Nd4j.gemm(last, head, false, true); // [B, V]
  }

  private INDArray block(DecodeState s, int l, INDArray x, int t, INDArray bias) {
    if (c.isPreLayerNorm()) {
      INDArray a = attention(s, l, norm(x, p(l, "ln1G"), p(l, "ln1B")), t, bias).addi(x);
      return mlp(l, norm(a, p(l, "ln2G"), p(l, "ln2B"))).addi(a);
    }
    INDArray n = norm(attention(s, l, x, t, bias).addi(x), p(l, "ln1G"), p(l, "ln1B"));
    return norm(mlp(l, n).addi(n), p(l, "ln2G"), p(l, "ln2B"));
  }

  /** x [B*T, d] -> [B*T, d]; writes this step's keys and values into the layer's cache. */
  private INDArray attention(DecodeState s, int l, INDArray x, int t, INDArray bias) {
    INDArray qkv = linear(x, l, "attn"); // [B*T, 3d]
    INDArray split = qkv.reshape('c', s.batch, t, 3, heads, headSize); // [B, T, 3, H, D]
    INDArray[] part = new INDArray[3];
    for (int j = 0; j < 3; j++) {
      part[j] =
          split
              .get(all(), all(), NDArrayIndex.point(j), all(), all())
              .permute(0, 2, 1, 3); // [B, H, T, D]
    }
    s.keys[l]
        .get(all(), all(), NDArrayIndex.interval(s.filled, s.filled + t), all())
        .assign(part[1]);
    s.values[l]
        .get(all(), all(), NDArrayIndex.interval(s.filled, s.filled + t), all())
        .assign(part[2]);
    INDArray scores =
        Nd4j.matmul(part[0].dup('c'), s.keys[l], false, true, false); // [B, H, T, cap]
    scores.muli(1.0 / Math.sqrt(headSize)).addi(bias);
    // as rows [B*H*T, cap]: ND4J's softmax over the last axis of a 4-D array took ~4x longer
    // (profiled)
    INDArray rows = scores.reshape('c', scores.length() / s.capacity, s.capacity);
    Nd4j.exec(new SoftMax(rows, rows, 1));
    INDArray y = Nd4j.matmul(rows.reshape('c', scores.shape()), s.values[l]); // [B, H, T, D]
    y = y.permute(0, 2, 1, 3).dup('c').reshape('c', (long) s.batch * t, d); // [B*T, d]
    return linear(y, l, "proj");
  }

  private INDArray mlp(int l, INDArray x) {
    INDArray h = gelu(linear(x, l, "fc")); // [B*T, f]
    return linear(h, l, "out"); // [B*T, d]
  }

  /**
   * x W + b for layer l's {@code nameW}/{@code nameB}; Nd4j.gemm, not INDArray.mmul, which took
   * 2-3x longer for these sizes in a microbenchmark.
   */
  private INDArray linear(INDArray x, int l, String name) {
    return Nd4j.gemm(x, p(l, name + "W"), false, false).addiRowVector(p(l, name + "B"));
  }

  /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), in place; GradientFunction.gelu's formula. */
  private static INDArray gelu(INDArray x) {
    double k = Math.sqrt(2 / Math.PI);
    INDArray inner = x.mul(x).muli(0.044715 * k).addi(k).muli(x);
    return Transforms.tanh(inner, false).addi(1.0).muli(x).muli(0.5);
  }

  /**
   * ND4J's fused layer norm over the last axis: the function of the trained graph's written-out one
   * (no epsilon), faster here where nothing is differentiated.
   */
  private static INDArray norm(INDArray x, INDArray g, INDArray b) {
    INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
    Nd4j.exec(new LayerNorm(x, g, b, out, false, 1));
    return out;
  }

  private INDArray p(int layer, String suffix) {
    return w.get(GptGraph.p(layer, suffix));
  }

  private static org.nd4j.linalg.indexing.INDArrayIndex all() {
    return NDArrayIndex.all();
  }
}
