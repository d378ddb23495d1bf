package io.github.sparkgpt.model.decode;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptGraph;

/**
 * One decoding position in plain Java over float arrays: {@link KvDecoder}'s math (GptGraph's
 * names, shapes and order of operations) without ND4J's fixed cost per op, which dominates a step
 * of a few rows (the {@code small} model needs ~5M multiply-adds per token against ~120 ND4J ops).
 * Every product runs as {@code y[j] += x[i] * W[i][j]} over a row of W, contiguous in the trained
 * [in, out] layout, so the JIT vectorises the inner loop; the LM head is transposed once to [d, V]
 * for the same form. Single-threaded; thread-safe to share (weights read only).
 */
final class JavaStep {
  /** Outputs per pass over W's rows: y's block stays in the L1 cache while the rows stream by. */
  private static final int BLOCK = 1024;

  private static final float GELU_K = (float) Math.sqrt(2 / Math.PI);

  private final GptConfig c;
  private final int d, heads, headSize, ffn, vocab;
  private final float scale;
  private final float[] wte, wpe, lnfG, lnfB, headT; // headT [d, V]
  private final DecoderWeights w;

  JavaStep(DecoderWeights w) {
    this.w = w;
    c = w.config();
    d = c.getDModel();
    heads = c.getHeads();
    headSize = c.headSize();
    ffn = c.getFfnSize();
    vocab = c.getVocabSize();
    scale = (float) (1.0 / Math.sqrt(headSize));
    wte = w.values(GptGraph.WTE);
    wpe = w.values(GptGraph.WPE);
    lnfG = c.isPreLayerNorm() ? w.values(GptGraph.LNF_G) : null;
    lnfB = c.isPreLayerNorm() ? w.values(GptGraph.LNF_B) : null;
    headT = transpose(c.isTiedEmbeddings() ? wte : w.values(GptGraph.LM_HEAD), vocab, d);
  }

  private float[] p(int layer, String suffix) {
    return w.values(GptGraph.p(layer, suffix));
  }

  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < cols; k++) t[k * rows + r] = a[r * cols + k];
    }
    return t;
  }

  /** Feeds one token per row into cache column s.filled; sets each row's next-token logits. */
  void step(DecodeState s, int[] next) {
    float[][] x = new float[s.batch][d]; // [B][d]
    for (int b = 0; b < s.batch; b++) {
      int tok = next[b] * d, pos = (s.filled - s.pad[b]) * d;
      for (int i = 0; i < d; i++) x[b][i] = wte[tok + i] + wpe[pos + i];
    }
    for (int l = 0; l < c.getLayers(); l++) x = block(s, l, x);
    if (c.isPreLayerNorm()) x = norm(x, lnfG, lnfB);
    s.rows = linear(x, headT, null, vocab); // [B][V]
    s.filled++;
    s.logits = null; // the ND4J view is made again from rows on demand
  }

  private float[][] block(DecodeState s, int l, float[][] x) {
    if (c.isPreLayerNorm()) {
      float[][] a = add(attention(s, l, norm(x, p(l, "ln1G"), p(l, "ln1B"))), x);
      return add(mlp(l, norm(a, p(l, "ln2G"), p(l, "ln2B"))), a);
    }
    float[][] n = norm(add(attention(s, l, x), x), p(l, "ln1G"), p(l, "ln1B"));
    return norm(add(mlp(l, n), n), p(l, "ln2G"), p(l, "ln2B"));
  }

  private float[][] attention(DecodeState s, int l, float[][] x) {
    float[][] qkv =
        linear(x, p(l, "attnW"), p(l, "attnB"), 3 * d); // [B][3d]: q | k | v, each [H, D]
    float[][] y = new float[s.batch][];
    for (int b = 0; b < s.batch; b++) y[b] = attend(s, b, l, qkv[b]);
    return linear(y, p(l, "projW"), p(l, "projB"), d);
  }

  /**
   * Row b's attention at column s.filled over its real columns pad[b]..filled: the columns the -1e9
   * bias hides get exactly 0 weight in float (exp(-1e9 - max) == 0), so skipping them is the same
   * softmax.
   */
  private float[] attend(DecodeState s, int b, int l, float[] qkv) {
    float[] keys = s.fastKeys[l], values = s.fastValues[l];
    int from = s.pad[b], to = s.filled; // inclusive
    float[] y = new float[d];
    float[] p = new float[to + 1];
    for (int h = 0; h < heads; h++) {
      int q = h * headSize, base = (b * heads + h) * s.capacity;
      System.arraycopy(qkv, d + q, keys, (base + to) * headSize, headSize);
      System.arraycopy(qkv, 2 * d + q, values, (base + to) * headSize, headSize);
      float max = Float.NEGATIVE_INFINITY;
      for (int k = from; k <= to; k++) {
        int kOff = (base + k) * headSize;
        float dot = 0;
        for (int i = 0; i < headSize; i++) dot += qkv[q + i] * keys[kOff + i];
        p[k] = dot * scale;
        max = Math.max(max, p[k]);
      }
      float sum = 0;
      for (int k = from; k <= to; k++) {
        p[k] = (float) Math.exp(p[k] - max);
        sum += p[k];
      }
      for (int k = from; k <= to; k++) {
        float pk = p[k] / sum;
        int vOff = (base + k) * headSize;
        for (int i = 0; i < headSize; i++) y[q + i] += pk * values[vOff + i];
      }
    }
    return y;
  }

  private float[][] mlp(int l, float[][] x) {
    float[][] h = linear(x, p(l, "fcW"), p(l, "fcB"), ffn);
    for (float[] row : h) {
      for (int i = 0; i < ffn; i++) row[i] = gelu(row[i]);
    }
    return linear(h, p(l, "outW"), p(l, "outB"), d);
  }

  /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), GradientFunction.gelu's formula. */
  private static float gelu(float x) {
    float u = GELU_K * (x + 0.044715f * x * x * x);
    // tanh(u) = 1 - 2 / (exp(2u) + 1): Math.exp is an intrinsic, Math.tanh is not; exact at +-inf
    float tanh = 1f - 2f / ((float) Math.exp(2 * u) + 1f);
    return 0.5f * x * (1f + tanh);
  }

  /**
   * x W + bias for each row of x, W [in, out] (c order), bias [out] or null. Four rows of W per
   * pass over y: a quarter of the loads and stores of y, which otherwise cost as much as reading W;
   * all rows of x per block of W, so a few rows read W from memory once.
   */
  private static float[][] linear(float[][] x, float[] w, float[] bias, int out) {
    float[][] y = new float[x.length][];
    for (int r = 0; r < x.length; r++) y[r] = bias == null ? new float[out] : bias.clone();
    int in = x[0].length;
    for (int j0 = 0; j0 < out; j0 += BLOCK) {
      int j1 = Math.min(out, j0 + BLOCK);
      int i = 0;
      for (; i + 3 < in; i += 4) {
        int r0 = i * out, r1 = r0 + out, r2 = r1 + out, r3 = r2 + out;
        for (int r = 0; r < x.length; r++) {
          float[] xr = x[r], yr = y[r];
          float x0 = xr[i], x1 = xr[i + 1], x2 = xr[i + 2], x3 = xr[i + 3];
          for (int j = j0; j < j1; j++) {
            yr[j] += x0 * w[r0 + j] + x1 * w[r1 + j] + x2 * w[r2 + j] + x3 * w[r3 + j];
          }
        }
      }
      for (; i < in; i++) {
        int row = i * out;
        for (int r = 0; r < x.length; r++) {
          float xi = x[r][i];
          float[] yr = y[r];
          for (int j = j0; j < j1; j++) yr[j] += xi * w[row + j];
        }
      }
    }
    return y;
  }

  /** Layer norm of each row without epsilon, as the trained graph. */
  private static float[][] norm(float[][] x, float[] g, float[] b) {
    float[][] y = new float[x.length][];
    for (int r = 0; r < x.length; r++) y[r] = norm(x[r], g, b);
    return y;
  }

  /** (x - mean) / std * g + b over one row. */
  private static float[] norm(float[] x, float[] g, float[] b) {
    double mean = 0;
    for (float v : x) mean += v;
    mean /= x.length;
    double var = 0;
    for (float v : x) var += (v - mean) * (v - mean);
    float inv = (float) (1 / Math.sqrt(var / x.length));
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) y[i] = (float) (x[i] - mean) * inv * g[i] + b[i];
    return y;
  }

  /** a += b row by row; returns a. */
  private static float[][] add(float[][] a, float[][] b) {
    for (int r = 0; r < a.length; r++) {
      for (int i = 0; i < a[r].length; i++) a[r][i] += b[r][i];
    }
    return a;
  }
}
