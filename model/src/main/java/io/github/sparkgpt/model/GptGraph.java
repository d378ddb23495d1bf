package io.github.sparkgpt.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPT decoder written once in SameDiff: parameter names and shapes, initialisation, and the
 * forward graph from token ids to hidden states and to logits. {@link GptLmLayer} wraps it as a
 * DL4J output layer; a fine-tuning head can reuse {@link #hidden} with the same parameter names so
 * pretrained weights carry over.
 *
 * <p>Activations are kept 2-D as [B*T, d] so every projection is one plain matmul; only attention
 * reshapes to [B, H, T, D] and uses one batched matmul for all heads.
 *
 * <p>Operand order matters in this file. SameDiff 1.0.0-M2's gradient builder differentiates some
 * ops twice (doubling their gradient) when, at an op joining two paths from the same tensor, it
 * meets the shared tensor first while its queue is empty. Writing every join as {@code
 * branch.op(shared)}, never {@code shared.op(branch)}, avoids it; the gradient-check test guards
 * this.
 */
public final class GptGraph {

  private GptGraph() {}

  // ---- parameter names (also the keys of the DL4J param table) ----
  public static final String WTE = "wte"; // [V, d]   token embedding, also the tied LM head
  public static final String WPE = "wpe"; // [T, d]   learned positions
  public static final String LNF_G = "lnfG"; // [1, d]   final layer norm (pre-LN only)
  public static final String LNF_B = "lnfB";
  public static final String LM_HEAD = "lmHead"; // [V, d]   only when embeddings are untied

  /**
   * Per-layer parameter: {@code h3_attnW}. Suffixes: ln1G ln1B attnW attnB projW projB ln2G ln2B
   * fcW fcB outW outB.
   */
  public static String p(int layer, String suffix) {
    return "h" + layer + suffix;
  }

  /**
   * The block index of a per-layer parameter ({@code h3attnW} -> 3), or -1 for any other parameter.
   */
  public static int blockOf(String param) {
    int end = 1;
    while (end < param.length() && Character.isDigit(param.charAt(end))) end++;
    return param.startsWith("h") && end > 1 ? Integer.parseInt(param.substring(1, end)) : -1;
  }

  /**
   * Declares every parameter; weights are regularisable, biases and layer-norm gains/biases are
   * not.
   */
  static void defineParameters(GptConfig c, SDLayerParams params) {
    long d = c.getDModel(), f = c.getFfnSize();
    params.addWeightParam(WTE, c.getVocabSize(), d);
    params.addWeightParam(WPE, c.getContextLength(), d);
    for (int i = 0; i < c.getLayers(); i++) {
      params.addBiasParam(p(i, "ln1G"), 1, d);
      params.addBiasParam(p(i, "ln1B"), 1, d);
      params.addWeightParam(
          p(i, "attnW"), d, 3 * d); // columns: q | k | v, heads contiguous in each
      params.addBiasParam(p(i, "attnB"), 1, 3 * d);
      params.addWeightParam(p(i, "projW"), d, d);
      params.addBiasParam(p(i, "projB"), 1, d);
      params.addBiasParam(p(i, "ln2G"), 1, d);
      params.addBiasParam(p(i, "ln2B"), 1, d);
      params.addWeightParam(p(i, "fcW"), d, f);
      params.addBiasParam(p(i, "fcB"), 1, f);
      params.addWeightParam(p(i, "outW"), f, d);
      params.addBiasParam(p(i, "outB"), 1, d);
    }
    if (c.isPreLayerNorm()) {
      params.addBiasParam(LNF_G, 1, d);
      params.addBiasParam(LNF_B, 1, d);
    }
    if (!c.isTiedEmbeddings()) {
      params.addWeightParam(LM_HEAD, c.getVocabSize(), d);
    }
  }

  /**
   * GPT-2 initialisation: weights N(0, initStd), the two projections that write into the residual
   * stream scaled by 1/sqrt(2 x layers) so the residual variance does not grow with depth; biases
   * 0, gains 1.
   */
  static void initializeParameters(GptConfig c, Map<String, INDArray> params) {
    double std = c.getInitStd();
    double residualStd = std / Math.sqrt(2.0 * c.getLayers());
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String name = e.getKey();
      INDArray a = e.getValue();
      if (name.endsWith("G")) {
        a.assign(1.0);
      } else if (name.endsWith("B")) {
        a.assign(0.0);
      } else if (name.endsWith("projW") || name.endsWith("outW")) {
        a.assign(Nd4j.randn(a.dataType(), a.shape()).muli(residualStd));
      } else {
        a.assign(Nd4j.randn(a.dataType(), a.shape()).muli(std));
      }
    }
  }

  /**
   * Token ids [B, T] (any numeric type) to the final hidden states [B*T, d] (after the final layer
   * norm for pre-LN). Causal: position t only sees positions <= t.
   */
  static SDVariable hidden(
      SameDiff sd, GptConfig c, SDVariable tokenIds, Map<String, SDVariable> w) {
    DataType dt = w.get(WTE).dataType();
    long d = c.getDModel();
    // stop_gradient first: DL4J asks for d(loss)/d(input), and SameDiff's Cast cannot backprop from
    // an int
    SDVariable ids =
        new StopGradient(sd, tokenIds).outputVariable().castTo(DataType.INT32); // [B, T]
    SDVariable t = sd.sizeAt(ids, 1);
    SDVariable positions = sd.range(sd.constant(0L), t, sd.constant(1L), DataType.INT64);
    // gather with 1-D indices: its backprop is wrong for 2-D indices in 1.0.0-M2
    SDVariable tok = sd.gather(w.get(WTE), sd.reshape(ids, -1), 0); // [B*T, d]
    SDVariable pos = sd.gather(w.get(WPE), positions, 0); // [T, d]
    SDVariable x = sd.reshape(sd.reshape(tok, shape(sd, -1, t, d)).add(pos), -1, d); // [B*T, d]
    x = GptDropout.apply(sd, x, c.getEmbeddingDropout(), GptDropout.TOKENS, d);

    SDVariable causalBias = causalBias(sd, positions, dt); // [T, T]: 0 or -1e9
    for (int i = 0; i < c.getLayers(); i++) {
      x = block(sd, c, i, x, t, causalBias, w);
    }
    if (c.isPreLayerNorm()) {
      x = layerNorm(sd, x, w.get(LNF_G), w.get(LNF_B));
    }
    return x;
  }

  /**
   * Hidden states [B*T, d] to logits [B*T, V] through the LM head (the token embedding when tied).
   */
  static SDVariable logits(SameDiff sd, GptConfig c, SDVariable hidden, Map<String, SDVariable> w) {
    return logits(sd, null, c, hidden, w);
  }

  /** {@link #logits} under the given variable name (null: a generated one). */
  static SDVariable logits(
      SameDiff sd, String name, GptConfig c, SDVariable hidden, Map<String, SDVariable> w) {
    SDVariable head = c.isTiedEmbeddings() ? w.get(WTE) : w.get(LM_HEAD);
    return sd.mmul(name, hidden, head, false, true, false);
  }

  /** One transformer block on x [B*T, d]; post-LN (GPT-1) or pre-LN (GPT-2). */
  private static SDVariable block(
      SameDiff sd,
      GptConfig c,
      int i,
      SDVariable x,
      SDVariable t,
      SDVariable causalBias,
      Map<String, SDVariable> w) {
    if (c.isPreLayerNorm()) {
      SDVariable a =
          attention(
              sd,
              c,
              i,
              layerNorm(sd, x, w.get(p(i, "ln1G")), w.get(p(i, "ln1B"))),
              t,
              causalBias,
              w);
      x = a.add(x); // branch first: see the class comment
      SDVariable m = mlp(sd, c, i, layerNorm(sd, x, w.get(p(i, "ln2G")), w.get(p(i, "ln2B"))), w);
      return m.add(x);
    }
    SDVariable n =
        layerNorm(
            sd,
            attention(sd, c, i, x, t, causalBias, w).add(x),
            w.get(p(i, "ln1G")),
            w.get(p(i, "ln1B")));
    return layerNorm(sd, mlp(sd, c, i, n, w).add(n), w.get(p(i, "ln2G")), w.get(p(i, "ln2B")));
  }

  /** Causal multi-head self-attention, all heads in one batched matmul. x [B*T, d] -> [B*T, d]. */
  private static SDVariable attention(
      SameDiff sd,
      GptConfig c,
      int i,
      SDVariable x,
      SDVariable t,
      SDVariable causalBias,
      Map<String, SDVariable> w) {
    long h = c.getHeads(), hd = c.getDModel() / c.getHeads();
    SDVariable qkv = dense(sd, x, w.get(p(i, "attnW")), w.get(p(i, "attnB"))); // [B*T, 3d]
    // split the 2-D projection, then one reshape+permute per tensor (unstack after a 5-D permute
    // has a wrong gradient in 1.0.0-M2)
    SDVariable[] parts = sd.split(qkv, 3, 1); // 3 x [B*T, d]
    SDVariable[] qkvs = new SDVariable[3];
    for (int j = 0; j < 3; j++) {
      qkvs[j] =
          sd.permute(sd.reshape(parts[j], shape(sd, -1, t, h, hd)), 0, 2, 1, 3); // [B, H, T, D]
    }
    SDVariable scores =
        sd.mmul(qkvs[0], qkvs[1], false, true, false) // [B, H, T, T]
            .mul(1.0 / Math.sqrt(hd));
    scores = GradientFunction.plusConstant(sd, scores, causalBias); // [B, H, T, T]
    SDVariable att =
        GptDropout.apply(
            sd,
            GradientFunction.softmax(sd, scores, 3),
            c.getAttentionDropout(),
            GptDropout.SEQUENCES,
            h,
            GptDropout.LENGTH,
            GptDropout.LENGTH);
    SDVariable y = sd.mmul(att, qkvs[2]); // [B, H, T, D]
    y = sd.reshape(sd.permute(y, 0, 2, 1, 3), -1, c.getDModel()); // [B*T, d]
    y = dense(sd, y, w.get(p(i, "projW")), w.get(p(i, "projB"))); // [B*T, d]
    return GptDropout.apply(sd, y, c.getResidualDropout(), GptDropout.TOKENS, c.getDModel());
  }

  /** Position-wise MLP with GELU (tanh form, as GPT-1/GPT-2 and Hugging Face's gelu_new). */
  private static SDVariable mlp(
      SameDiff sd, GptConfig c, int i, SDVariable x, Map<String, SDVariable> w) {
    SDVariable fc = dense(sd, x, w.get(p(i, "fcW")), w.get(p(i, "fcB"))); // [B*T, f]
    SDVariable hdn = GradientFunction.gelu(sd, fc); // [B*T, f]
    SDVariable y = dense(sd, hdn, w.get(p(i, "outW")), w.get(p(i, "outB"))); // [B*T, d]
    return GptDropout.apply(sd, y, c.getResidualDropout(), GptDropout.TOKENS, c.getDModel());
  }

  /**
   * Layer norm over the last axis, x [N, d], g/b [1, d]. It has no epsilon, as ND4J's fused op it
   * replaced (the Hugging Face export therefore writes layer_norm_epsilon = 0). Written out because
   * the fused op's backprop took 10 ms per call on [2048, 256] (15% of a training step of {@code
   * small}); the normalisation is two {@link GraphKernels} groups with their own gradient.
   */
  static SDVariable layerNorm(SameDiff sd, SDVariable x, SDVariable g, SDVariable b) {
    SDVariable normed = GradientFunction.normalized(sd, x); // [N, d]
    return GradientFunction.rowBias(sd, GradientFunction.rowScale(sd, normed, g), b); // [N, d]
  }

  /** x [N, k] W [k, n] + b [1, n]. */
  static SDVariable dense(SameDiff sd, SDVariable x, SDVariable w, SDVariable b) {
    return GradientFunction.rowBias(sd, sd.mmul(x, w), b);
  }

  /** A 1-D int64 shape from static sizes (long/int) and dynamic scalar sizes (SDVariable). */
  static SDVariable shape(SameDiff sd, Object... dims) {
    SDVariable[] parts = new SDVariable[dims.length];
    for (int i = 0; i < dims.length; i++) {
      parts[i] =
          dims[i] instanceof SDVariable
              ? sd.reshape(((SDVariable) dims[i]).castTo(DataType.INT64), 1)
              : sd.constant(Nd4j.createFromArray(((Number) dims[i]).longValue()));
    }
    return sd.concat(0, parts);
  }

  /** [T, T] additive mask: 0 where key position <= query position, -1e9 above the diagonal. */
  private static SDVariable causalBias(SameDiff sd, SDVariable positions, DataType dt) {
    SDVariable q = sd.expandDims(positions, 1); // [T, 1]
    SDVariable k = sd.expandDims(positions, 0); // [1, T]
    SDVariable future = k.gt(q).castTo(dt); // 1 above the diagonal
    return future.mul(-1e9);
  }
}
