package io.github.sparkgpt.model;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout inside the GPT graph with masks drawn in Java for every training step, not by
 * SameDiff's random ops (in 1.0.0-M2 those repeat the same draws on every execution, so their mask
 * would be a fixed pruning).
 *
 * <p>Each dropout site keeps element i when {@code hash(i, site, key) mod 2^24 >= p x 2^24}: the
 * hash is a keyed integer mixer over the element index, so a new key gives an independent mask. A
 * site is a constant mask in the graph times its input; the runtime layer ({@link GptLmLayerImpl})
 * fills the masks of the step's key and batch shape with {@link #setStep} before each execution.
 * The hash was first built from graph ops (15 per site): at batch 16 they took 7-16% of a training
 * step of {@code small}; the Java loop below fills the same masks in ~2 ms. A graph with dropout
 * always applies it: inference and evaluation run the same layer built with dropout 0 ({@link
 * #withoutDropout}), which has no dropout site at all, so they are exact.
 */
final class GptDropout {

  /** Mask shape entries resolved per step: N*T, N (sequences) and T (sequence length). */
  static final long TOKENS = -1, SEQUENCES = -2, LENGTH = -3;

  /** Per site: the mask constant, and a DOUBLE constant {p, shape template...}. */
  static final String MASK = "gptDropoutMask", SITE = "gptDropoutSite";

  /** Bits of the hash compared with the drop rate: keep rates are exact to 2^-24. */
  static final int RATE_BITS = 24;

  /** Multiplier of the 32-bit mixer (products wrap, as Java's int arithmetic does). */
  static final int MIX = 0x45d9f3b;

  /** Spreads site numbers over the key space (golden ratio x 2^32). */
  static final int SITE_STRIDE = 0x9E3779B9;

  /**
   * Elements hashed per pass: a power of two, so element base + j is base ^ j and the loop reads j
   * from {@link #INDEX}, which lets C2 vectorise it (an induction variable does not in Java 17).
   */
  private static final int CHUNK = 1 << 14;

  private static final int[] INDEX = new int[CHUNK];

  static {
    for (int j = 0; j < CHUNK; j++) INDEX[j] = j;
  }

  private GptDropout() {}

  /**
   * x times a keep mask of the same shape divided by 1 - p; x itself when p = 0. {@code shape} is
   * x's shape with {@link #TOKENS}, {@link #SEQUENCES} and {@link #LENGTH} for its batch-dependent
   * sizes, e.g. {@code TOKENS, d} for [B*T, d].
   */
  static SDVariable apply(SameDiff sd, SDVariable x, double p, long... shape) {
    if (!(p >= 0 && p < 1))
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
    if (p == 0) return x;
    if (shape.length == 0) throw new IllegalArgumentException("a dropout site needs its shape");
    double[] spec = new double[1 + shape.length];
    spec[0] = p;
    for (int i = 0; i < shape.length; i++) spec[1 + i] = shape[i];
    int site = 0;
    while (sd.hasVariable(SITE + site)) site++;
    sd.constant(SITE + site, Nd4j.createFromArray(spec));
    // a placeholder value until the first setStep
    SDVariable mask = sd.constant(MASK + site, Nd4j.scalar(x.dataType(), 1.0));
    return GradientFunction.masked(sd, x, mask);
  }

  /** Whether {@code c} builds any dropout site. */
  static boolean hasDropout(GptConfig c) {
    return c.getEmbeddingDropout() > 0 || c.getAttentionDropout() > 0 || c.getResidualDropout() > 0;
  }

  /** A copy of {@code c} that builds no dropout site: the graph inference runs. */
  static GptConfig withoutDropout(GptConfig c) {
    return c.copy().setDropout(0.0);
  }

  /**
   * Fills the masks of {@code graphs} (the layer's training graph and its gradient graph, which
   * share the arrays) for one execution on N = {@code sequences} sequences of T = {@code length}
   * tokens. Graphs without dropout are left alone.
   */
  static void setStep(long key, long sequences, long length, SameDiff... graphs) {
    List<INDArray> masks = new ArrayList<>();
    for (SameDiff sd : graphs) {
      if (sd == null) continue;
      for (int site = 0; sd.hasVariable(SITE + site); site++) {
        SDVariable mask = sd.getVariable(MASK + site);
        if (site == masks.size()) {
          double[] spec = sd.getVariable(SITE + site).getArr().toDoubleVector();
          masks.add(fill(mask, spec, site, key, sequences, length));
        }
        if (mask.getArr() != masks.get(site)) mask.setArray(masks.get(site));
      }
    }
  }

  /** The site's mask for this step, in its current array when the shape is unchanged. */
  private static INDArray fill(
      SDVariable variable, double[] spec, int site, long key, long sequences, long length) {
    long[] shape = new long[spec.length - 1];
    for (int i = 0; i < shape.length; i++) {
      long d = (long) spec[1 + i];
      shape[i] =
          d == TOKENS ? sequences * length : d == SEQUENCES ? sequences : d == LENGTH ? length : d;
    }
    INDArray mask = variable.getArr();
    if (!Arrays.equals(mask.shape(), shape) || mask.dataType() != DataType.FLOAT) {
      mask = Nd4j.create(DataType.FLOAT, shape);
    }
    if (mask.length() > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException("dropout mask too large: " + Arrays.toString(shape));
    }
    double p = spec[0];
    int siteKey = mix((int) key + site * SITE_STRIDE) ^ (int) (key >>> 32);
    int threshold = (int) Math.round(p * (1 << RATE_BITS));
    int scale = Float.floatToRawIntBits((float) (1 / (1 - p)));
    IntBuffer out = mask.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
    int[] bits = new int[CHUNK];
    int n = (int) mask.length();
    for (int base = 0; base < n; base += CHUNK) {
      int k = base ^ siteKey;
      for (int j = 0; j < CHUNK; j++) {
        int h = mix(INDEX[j] ^ k) & ((1 << RATE_BITS) - 1);
        // kept: h - threshold >= 0, so the shift gives 0 and the float bits of 1 / (1 - p)
        bits[j] = ((h - threshold) >> 31) & scale ^ scale;
      }
      out.put(bits, 0, Math.min(CHUNK, n - base));
    }
    DataType dt = variable.dataType();
    return dt == DataType.FLOAT ? mask : mask.castTo(dt);
  }

  /** The mixer of the hash. */
  static int mix(int h) {
    h = (h ^ (h >> 16)) * MIX;
    h = (h ^ (h >> 16)) * MIX;
    return h ^ (h >> 16);
  }

  /**
   * The key of one training step: the network seed, the layer's step count and the batch's tokens,
   * mixed.
   */
  static long stepKey(long seed, long step, INDArray input) {
    long h = splitMix(seed ^ splitMix(step));
    for (double v : Nd4j.toFlattened('c', input).toDoubleVector())
      h = splitMix(h ^ Double.doubleToLongBits(v));
    return h;
  }

  /** SplitMix64's finaliser: a bijection on longs with full avalanche. */
  static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
