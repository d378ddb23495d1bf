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
 * execution with {@link #setStep}: the key, new for every training step, and "active", 1 while
 * computing gradients and 0 otherwise, so inference keeps every element and divides by 1 (exact). A
 * graph without dropout (every p = 0) has neither constant.
 */
final class GptDropout {

  /** INT32 scalars holding the two halves of the step's key. */
  static final String KEY_A = "gptDropoutKeyA";

  static final String KEY_B = "gptDropoutKeyB";

  /** Scalar of the network's data type: 1 while training (masks applied), 0 otherwise. */
  static final String ACTIVE = "gptDropoutActive";

  /** Bits of the hash compared with the drop rate: keep rates are exact to 2^-24. */
  static final int RATE_BITS = 24;

  /** Multiplier of the 32-bit mixer (products wrap, as Java's int arithmetic does). */
  static final int MIX = 0x45d9f3b;

  /** Spreads site numbers over the key space (golden ratio x 2^32). */
  static final int SITE_STRIDE = 0x9E3779B9;

  private GptDropout() {}

  /**
   * x (any shape) times a keep mask of the same shape, divided by 1 - p while active; x itself when
   * p = 0.
   */
  static SDVariable apply(SameDiff sd, SDVariable x, double p) {
    if (!(p >= 0 && p < 1))
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
    if (p == 0) return x;
    DataType dt = x.dataType();
    SDVariable active =
        sd.hasVariable(ACTIVE) ? sd.getVariable(ACTIVE) : sd.constant(ACTIVE, Nd4j.scalar(dt, 0.0));
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
    int threshold = (int) Math.round(p * (1 << RATE_BITS));
    SDVariable drop = active.castTo(DataType.INT32).mul(iconst(sd, threshold)); // 0 at inference
    SDVariable scale = active.mul(p).rsub(1.0); // 1 - p, or 1
    SDVariable keep = bits.gte(drop).castTo(dt).div(scale); // as x: 0 or 1 / (1 - p)
    return GradientFunction.masked(sd, x, keep);
  }

  /**
   * Sets the constants of {@code graphs} (the layer's forward graph and its gradient graph) for one
   * execution: the two keys from {@code key}, and whether masks apply. Graphs without dropout are
   * left alone.
   */
  static void setStep(long key, boolean active, SameDiff... graphs) {
    for (SameDiff sd : graphs) {
      if (sd == null || !sd.hasVariable(ACTIVE)) continue;
      sd.getVariable(KEY_A).getArr().assign((int) key);
      sd.getVariable(KEY_B).getArr().assign((int) (key >>> 32));
      sd.getVariable(ACTIVE).getArr().assign(active ? 1.0 : 0.0);
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
