package io.github.sparkgpt.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout inside the GPT graph whose masks come from a counter-based hash, not from
 * SameDiff's random ops (in 1.0.0-M2 those repeat the same draws on every execution, so their mask
 * would be a fixed pruning).
 *
 * <p>Each dropout site keeps element i when {@code hash(i, site, key) mod 2^24 >= p x 2^24}: the
 * hash is a keyed integer mixer over the element index, so a new key gives an independent mask. The
 * graph reads two scalar constants that the runtime layer ({@link GptLmLayerImpl}) sets before each
 * execution with {@link #setStep}: the halves of the key, new for every training step. A graph with
 * dropout always applies it: inference and evaluation run the same layer built with dropout 0
 * ({@link #withoutDropout}), which has no dropout ops at all, so they are exact and skip the hash.
 */
final class GptDropout {

  /** INT32 scalars holding the two halves of the step's key. */
  static final String KEY_A = "gptDropoutKeyA";

  static final String KEY_B = "gptDropoutKeyB";

  /** Bits of the hash compared with the drop rate: keep rates are exact to 2^-24. */
  static final int RATE_BITS = 24;

  /** Multiplier of the 32-bit mixer (products wrap, as Java's int arithmetic does). */
  static final int MIX = 0x45d9f3b;

  /** Spreads site numbers over the key space (golden ratio x 2^32). */
  static final int SITE_STRIDE = 0x9E3779B9;

  private GptDropout() {}

  /** x (any shape) times a keep mask of the same shape divided by 1 - p; x itself when p = 0. */
  static SDVariable apply(SameDiff sd, SDVariable x, double p) {
    if (!(p >= 0 && p < 1))
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
    if (p == 0) return x;
    DataType dt = x.dataType();
    SDVariable keyA = key(sd, KEY_A), keyB = key(sd, KEY_B);
    int site = nextSite(sd);
    // 32-bit integers throughout: the hash's intermediates stay in the workspace until the step
    // ends
    SDVariable siteKey =
        sd.bitwise().xor(mix(sd, keyA.add(iconst(sd, site * SITE_STRIDE))), keyB); // scalar
    SDVariable shape = sd.shape(x).castTo(DataType.INT32);
    SDVariable n = sd.prod(shape, 0);
    SDVariable index =
        sd.reshape(sd.range(iconst(sd, 0), n, iconst(sd, 1), DataType.INT32), shape); // as x
    SDVariable bits =
        sd.bitwise()
            .and(mix(sd, sd.bitwise().xor(index, siteKey)), iconst(sd, (1 << RATE_BITS) - 1));
    SDVariable threshold = iconst(sd, (int) Math.round(p * (1 << RATE_BITS)));
    SDVariable keep = bits.gte(threshold).castTo(dt).mul(1 / (1 - p)); // as x: 0 or 1 / (1 - p)
    return GradientFunction.masked(sd, x, keep);
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
   * Sets the key constants of {@code graphs} (the layer's training graph and its gradient graph)
   * for one execution. Graphs without dropout are left alone.
   */
  static void setStep(long key, SameDiff... graphs) {
    for (SameDiff sd : graphs) {
      if (sd == null || !sd.hasVariable(KEY_A)) continue;
      sd.getVariable(KEY_A).getArr().assign((int) key);
      sd.getVariable(KEY_B).getArr().assign((int) (key >>> 32));
    }
  }

  /** The mixer of {@link #apply} in Java, element by element (tests hold the graph to it). */
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

  /** {@link #mix(int)} on INT32 tensors. */
  private static SDVariable mix(SameDiff sd, SDVariable h) {
    SDVariable sixteen = iconst(sd, 16), mul = iconst(sd, MIX);
    h = sd.bitwise().xor(h, sd.bitwise().rightShift(h, sixteen)).mul(mul);
    h = sd.bitwise().xor(h, sd.bitwise().rightShift(h, sixteen)).mul(mul);
    return sd.bitwise().xor(h, sd.bitwise().rightShift(h, sixteen));
  }

  private static SDVariable iconst(SameDiff sd, int v) {
    return sd.constant(Nd4j.scalar(v));
  }

  private static SDVariable key(SameDiff sd, String name) {
    return sd.hasVariable(name) ? sd.getVariable(name) : sd.constant(name, Nd4j.scalar(0));
  }

  /** Numbers the dropout sites of one graph in creation order, so each site draws its own mask. */
  private static int nextSite(SameDiff sd) {
    int site = 0;
    while (sd.hasVariable("gptDropoutSite" + site)) site++;
    sd.constant("gptDropoutSite" + site, Nd4j.scalar(site));
    return site;
  }
}
