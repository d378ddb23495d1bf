package io.github.sparkgpt.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise steps of {@link VectorForward}, and those {@link GraphKernels} runs for the
 * training graph, on the float32 c-order buffers of ND4J arrays, written with the JDK's Vector API.
 * Its exp runs on the processor's vector units (16 lanes with AVX-512), where ND4J 1.0.0-M2's
 * transforms call the C library's scalar expf: ND4J's sigmoid took 2.3 ms on [2048, 1024] against
 * ~0.6 ms here on one thread, and its fused layer norm 1.7 ms on [2048, 256]. Offsets are in
 * floats; every row is read whole before it is written, so in and out may be the same buffer.
 * Loaded only when the {@code jdk.incubator.vector} module is (see {@link VectorForward}).
 */
final class VectorKernels {
  private VectorKernels() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  /** gelu's constants as {@link GradientFunction#gelu} writes it: x sigmoid(K (x + C x^3)). */
  private static final float GELU_K = (float) (2 * Math.sqrt(2 / Math.PI)), GELU_C = 0.044715f;

  /** Lane i holds i: with a compare, the lanes of a chunk past the causal boundary. */
  private static final FloatVector IOTA = iota();

  private static FloatVector iota() {
    float[] v = new float[L];
    for (int i = 0; i < L; i++) v[i] = i;
    return FloatVector.fromArray(S, v, 0);
  }

  private static FloatVector load(ByteBuffer b, int at) {
    return FloatVector.fromByteBuffer(S, b, 4 * at, ORDER);
  }

  private static void store(FloatVector v, ByteBuffer b, int at) {
    v.intoByteBuffer(b, 4 * at, ORDER);
  }

  private static float get(ByteBuffer b, int at) {
    return b.getFloat(4 * at);
  }

  private static void put(ByteBuffer b, int at, float v) {
    b.putFloat(4 * at, v);
  }

  /**
   * Layer norm of each row of x [rows, d] into out: (x - mean) / sqrt(mean((x - mean)^2)) g + b,
   * without epsilon, as {@link GptGraph#layerNorm}.
   */
  static void layerNorm(ByteBuffer x, ByteBuffer out, int rows, int d, float[] g, float[] b) {
    int bound = S.loopBound(d);
    for (int r = 0, row = 0; r < rows; r++, row += d) {
      float mean = rowMean(x, row, d), rstd = rowRstd(x, row, d, mean);
      int i = 0;
      for (; i < bound; i += L) {
        FloatVector n = load(x, row + i).sub(mean).mul(rstd);
        store(n.fma(FloatVector.fromArray(S, g, i), FloatVector.fromArray(S, b, i)), out, row + i);
      }
      for (; i < d; i++) put(out, row + i, (get(x, row + i) - mean) * rstd * g[i] + b[i]);
    }
  }

  /** r = 1 / sqrt(mean((x - mean)^2)) of each row of x [rows, d] into out [rows]. */
  static void inverseStd(ByteBuffer x, ByteBuffer out, int rows, int d) {
    for (int r = 0, row = 0; r < rows; r++, row += d)
      put(out, r, rowRstd(x, row, d, rowMean(x, row, d)));
  }

  /**
   * Each row of x [rows, d] normalised into out: (x - mean) r with r [rows] from {@link
   * #inverseStd}.
   */
  static void normalize(ByteBuffer x, ByteBuffer r, ByteBuffer out, int rows, int d) {
    int bound = S.loopBound(d);
    for (int k = 0, row = 0; k < rows; k++, row += d) {
      float mean = rowMean(x, row, d), rstd = get(r, k);
      int i = 0;
      for (; i < bound; i += L) store(load(x, row + i).sub(mean).mul(rstd), out, row + i);
      for (; i < d; i++) put(out, row + i, (get(x, row + i) - mean) * rstd);
    }
  }

  /**
   * The input gradient of {@link #normalize} from u = dn r (dn its output gradient) and its output
   * n, both [rows, d], into out: v - mean(v) with v = u - n mean(u n) per row.
   */
  static void normalizeGradient(ByteBuffer u, ByteBuffer n, ByteBuffer out, int rows, int d) {
    int bound = S.loopBound(d);
    for (int r = 0, row = 0; r < rows; r++, row += d) {
      FloatVector su = FloatVector.zero(S), sn = FloatVector.zero(S), sun = FloatVector.zero(S);
      int i = 0;
      for (; i < bound; i += L) {
        FloatVector a = load(u, row + i), b = load(n, row + i);
        su = su.add(a);
        sn = sn.add(b);
        sun = a.fma(b, sun);
      }
      float sumU = su.reduceLanes(VectorOperators.ADD), sumN = sn.reduceLanes(VectorOperators.ADD);
      float sumUn = sun.reduceLanes(VectorOperators.ADD);
      for (; i < d; i++) {
        sumU += get(u, row + i);
        sumN += get(n, row + i);
        sumUn += get(u, row + i) * get(n, row + i);
      }
      float dot = sumUn / d, meanV = (sumU - sumN * dot) / d;
      for (i = 0; i < bound; i += L) {
        store(load(n, row + i).mul(-dot).add(load(u, row + i)).sub(meanV), out, row + i);
      }
      for (; i < d; i++) put(out, row + i, get(u, row + i) - get(n, row + i) * dot - meanV);
    }
  }

  private static float rowMean(ByteBuffer x, int row, int d) {
    int bound = S.loopBound(d), i = 0;
    FloatVector acc = FloatVector.zero(S);
    for (; i < bound; i += L) acc = acc.add(load(x, row + i));
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < d; i++) sum += get(x, row + i);
    return sum / d;
  }

  /** 1 / sqrt(mean((x - mean)^2)) of the row; centred before squaring, so no cancellation. */
  private static float rowRstd(ByteBuffer x, int row, int d, float mean) {
    int bound = S.loopBound(d), i = 0;
    FloatVector acc = FloatVector.zero(S);
    for (; i < bound; i += L) {
      FloatVector c = load(x, row + i).sub(mean);
      acc = c.fma(c, acc);
    }
    float sq = acc.reduceLanes(VectorOperators.ADD);
    for (; i < d; i++) sq += (get(x, row + i) - mean) * (get(x, row + i) - mean);
    return (float) (1 / Math.sqrt(sq / d));
  }

  /** x [rows, d] += y [rows, d] + bias [d]: a residual connection after a projection. */
  static void addBiasResidual(ByteBuffer x, ByteBuffer y, int rows, int d, float[] bias) {
    int bound = S.loopBound(d);
    for (int r = 0, row = 0; r < rows; r++, row += d) {
      int i = 0;
      for (; i < bound; i += L) {
        FloatVector v = load(y, row + i).add(FloatVector.fromArray(S, bias, i));
        store(v.add(load(x, row + i)), x, row + i);
      }
      for (; i < d; i++) put(x, row + i, get(x, row + i) + get(y, row + i) + bias[i]);
    }
  }

  /**
   * h [rows, f] = gelu(h + bias [f]) in place, in the graph's form x sigmoid(K (x + C x^3)) with K
   * = 2 sqrt(2 / pi), C = 0.044715 (the tanh form of GELU), as x / (1 + exp(-K (x + C x^3))).
   */
  static void biasGelu(ByteBuffer h, int rows, int f, float[] bias) {
    float k = GELU_K, kc = GELU_K * GELU_C;
    int bound = S.loopBound(f);
    for (int r = 0, row = 0; r < rows; r++, row += f) {
      int i = 0;
      for (; i < bound; i += L) {
        FloatVector v = load(h, row + i).add(FloatVector.fromArray(S, bias, i));
        FloatVector u = v.mul(v).mul(-kc).sub(k).mul(v); // -K (x + C x^3)
        store(v.div(u.lanewise(VectorOperators.EXP).add(1f)), h, row + i);
      }
      for (; i < f; i++) {
        float v = get(h, row + i) + bias[i];
        put(h, row + i, v / (1f + (float) Math.exp(-k * (v + GELU_C * v * v * v))));
      }
    }
  }

  /**
   * qkv [B*T, 3d] (q | k | v, heads contiguous in each) plus bias [3d] into q, k, v, each [B, H, T,
   * D] in one buffer after the other (part p at p*B*H*T*D).
   */
  static void splitHeads(
      ByteBuffer qkv, float[] bias, ByteBuffer parts, int batch, int t, int heads, int headSize) {
    int d = heads * headSize, part = batch * t * d, bound = S.loopBound(headSize);
    for (int n = 0; n < batch * t; n++) {
      int b = n / t, pos = n % t;
      for (int p = 0; p < 3; p++) {
        for (int h = 0; h < heads; h++) {
          int src = n * 3 * d + p * d + h * headSize, col = p * d + h * headSize;
          int dst = p * part + ((b * heads + h) * t + pos) * headSize;
          int i = 0;
          for (; i < bound; i += L) {
            store(load(qkv, src + i).add(FloatVector.fromArray(S, bias, col + i)), parts, dst + i);
          }
          for (; i < headSize; i++) put(parts, dst + i, get(qkv, src + i) + bias[col + i]);
        }
      }
    }
  }

  /** y [B, H, T, D] to [B*T, d], heads side by side in each row. */
  static void mergeHeads(ByteBuffer y, ByteBuffer out, int batch, int t, int heads, int headSize) {
    int d = heads * headSize, bound = S.loopBound(headSize);
    for (int n = 0; n < batch * t; n++) {
      int b = n / t, pos = n % t;
      for (int h = 0; h < heads; h++) {
        int src = ((b * heads + h) * t + pos) * headSize, dst = n * d + h * headSize;
        int i = 0;
        for (; i < bound; i += L) store(load(y, src + i), out, dst + i);
        for (; i < headSize; i++) put(out, dst + i, get(y, src + i));
      }
    }
  }

  /**
   * Causal softmax in place over scores [rows, t], row r being query position r % t: softmax(scale
   * s) over keys 0..query, exactly 0 for the later keys (where the graph's -1e9 bias gives exp ==
   * 0). Keys past the query are neither exponentiated nor summed: half the work of a full row.
   */
  static void causalSoftmax(ByteBuffer s, int rows, int t, float scale) {
    int bound = S.loopBound(t);
    for (int r = 0; r < rows; r++) {
      int row = r * t, n = r % t + 1; // keys 0..n-1 count
      float max = Float.NEGATIVE_INFINITY;
      int j = 0;
      for (; j < bound && j < n; j += L)
        max = Math.max(max, masked(load(s, row + j), j, n).reduceLanes(VectorOperators.MAX));
      for (; j < n; j++) max = Math.max(max, get(s, row + j));
      float shift = max * scale, sum = 0;
      FloatVector acc = FloatVector.zero(S);
      for (j = 0; j < bound && j < n; j += L) {
        FloatVector e =
            masked(load(s, row + j), j, n).mul(scale).sub(shift).lanewise(VectorOperators.EXP);
        acc = acc.add(e);
        store(e, s, row + j);
      }
      for (; j < n; j++) {
        float e = (float) Math.exp(get(s, row + j) * scale - shift);
        sum += e;
        put(s, row + j, e);
      }
      float inv = 1 / (sum + acc.reduceLanes(VectorOperators.ADD));
      for (j = 0; j < bound && j < n; j += L) store(load(s, row + j).mul(inv), s, row + j);
      for (; j < n; j++) put(s, row + j, get(s, row + j) * inv);
      // zeros past the query: j is a chunk start below bound only when no scalar loop ran
      for (j = Math.max(j, n); j < bound; j += L) store(FloatVector.zero(S), s, row + j);
      for (; j < t; j++) put(s, row + j, 0f);
    }
  }

  /** The chunk at key j with lanes at keys >= n set to -infinity (exp gives 0). */
  private static FloatVector masked(FloatVector v, int j, int n) {
    if (j + L <= n) return v;
    VectorMask<Float> past = IOTA.compare(VectorOperators.GE, n - j);
    return v.blend(Float.NEGATIVE_INFINITY, past);
  }

  /** out = gelu(x) over n floats: x / (1 + exp(-K (x + C x^3))). */
  static void gelu(ByteBuffer x, ByteBuffer out, int n) {
    int bound = S.loopBound(n), i = 0;
    for (; i < bound; i += L) {
      FloatVector v = load(x, i);
      FloatVector u = v.mul(v).mul(-GELU_K * GELU_C).sub(GELU_K).mul(v); // -K (x + C x^3)
      store(v.div(u.lanewise(VectorOperators.EXP).add(1f)), out, i);
    }
    for (; i < n; i++) {
      float v = get(x, i);
      put(out, i, v / (1f + (float) Math.exp(-GELU_K * (v + GELU_C * v * v * v))));
    }
  }

  /**
   * out = gelu'(x) over n floats: s + x s (1 - s) K (1 + 3 C x^2) with s = sigmoid(K (x + C x^3)).
   * s is 1 / (1 + e) and 1 - s is computed as such, so e = infinity gives s = 0, not NaN.
   */
  static void geluSlope(ByteBuffer x, ByteBuffer out, int n) {
    int bound = S.loopBound(n), i = 0;
    for (; i < bound; i += L) {
      FloatVector v = load(x, i), sq = v.mul(v);
      FloatVector e = sq.mul(-GELU_K * GELU_C).sub(GELU_K).mul(v).lanewise(VectorOperators.EXP);
      FloatVector s = FloatVector.broadcast(S, 1f).div(e.add(1f));
      FloatVector slope = sq.mul(3 * GELU_K * GELU_C).add(GELU_K);
      store(v.mul(s).mul(s.neg().add(1f)).fma(slope, s), out, i);
    }
    for (; i < n; i++) {
      float v = get(x, i);
      float s = 1f / (1f + (float) Math.exp(-GELU_K * (v + GELU_C * v * v * v)));
      put(out, i, v * s * (1 - s) * GELU_K * (1 + 3 * GELU_C * v * v) + s);
    }
  }

  /** Softmax of each row of x [rows, width] into out (which may be x). */
  static void softmax(ByteBuffer x, ByteBuffer out, int rows, int width) {
    int bound = S.loopBound(width);
    for (int r = 0, row = 0; r < rows; r++, row += width) {
      FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      int j = 0;
      for (; j < bound; j += L) mv = mv.max(load(x, row + j));
      float max = mv.reduceLanes(VectorOperators.MAX);
      for (; j < width; j++) max = Math.max(max, get(x, row + j));
      FloatVector acc = FloatVector.zero(S);
      for (j = 0; j < bound; j += L) {
        FloatVector e = load(x, row + j).sub(max).lanewise(VectorOperators.EXP);
        acc = acc.add(e);
        store(e, out, row + j);
      }
      float sum = 0;
      for (; j < width; j++) {
        float e = (float) Math.exp(get(x, row + j) - max);
        sum += e;
        put(out, row + j, e);
      }
      float inv = 1 / (sum + acc.reduceLanes(VectorOperators.ADD));
      for (j = 0; j < bound; j += L) store(load(out, row + j).mul(inv), out, row + j);
      for (; j < width; j++) put(out, row + j, get(out, row + j) * inv);
    }
  }

  /**
   * The softmax's input gradient from its output s and output gradient dy, both [rows, width]: s
   * (dy - sum(dy s)) per row, into out.
   */
  static void softmaxGradient(ByteBuffer dy, ByteBuffer s, ByteBuffer out, int rows, int width) {
    int bound = S.loopBound(width);
    for (int r = 0, row = 0; r < rows; r++, row += width) {
      FloatVector acc = FloatVector.zero(S);
      int j = 0;
      for (; j < bound; j += L) acc = load(dy, row + j).fma(load(s, row + j), acc);
      float dot = acc.reduceLanes(VectorOperators.ADD);
      for (; j < width; j++) dot += get(dy, row + j) * get(s, row + j);
      for (j = 0; j < bound; j += L) {
        store(load(dy, row + j).sub(dot).mul(load(s, row + j)), out, row + j);
      }
      for (; j < width; j++) put(out, row + j, (get(dy, row + j) - dot) * get(s, row + j));
    }
  }
}
