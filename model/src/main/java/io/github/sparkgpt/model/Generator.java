package io.github.sparkgpt.model;

import java.util.Arrays;
import java.util.Random;

/**
 * Autoregressive text generation over token ids: greedy, or sampling with temperature, top-k and
 * top-p (nucleus); stops at the end-of-text id or after maxNewTokens; seeded, hence deterministic.
 *
 * <p>No KV cache: each new token re-runs the network on the (context-cropped) prefix, because the
 * DL4J graph only exposes full-sequence forward passes. Cost grows with the prefix; see the report
 * for tokens/s.
 */
public final class Generator {

  private final Inference inference;
  private int maxNewTokens = 64;
  private double temperature = 1.0; // 0 = greedy
  private int topK = 0; // 0 = off
  private double topP = 1.0; // 1 = off
  private int endOfText = -1; // -1 = none
  private long seed = 42;

  public Generator(Inference inference) {
    this.inference = inference;
  }

  /** The prompt followed by the generated tokens (the end-of-text id, if produced, is included). */
  public int[] generate(int[] prompt) {
    validate();
    Random rng = new Random(seed);
    int[] out = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
    int n = prompt.length;
    for (int i = 0; i < maxNewTokens; i++) {
      float[] logits = inference.nextTokenLogits(Arrays.copyOf(out, n));
      int next = temperature == 0 ? argmax(logits) : sample(logits, rng);
      out[n++] = next;
      if (next == endOfText) break;
    }
    return Arrays.copyOf(out, n);
  }

  private int sample(float[] logits, Random rng) {
    int v = logits.length;
    Integer[] order = new Integer[v];
    for (int i = 0; i < v; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a])); // most likely first
    int keep = topK > 0 ? Math.min(topK, v) : v;
    double max = logits[order[0]] / temperature;
    double[] p = new double[keep];
    double total = 0;
    for (int i = 0; i < keep; i++) {
      p[i] = Math.exp(logits[order[i]] / temperature - max);
      total += p[i];
    }
    // nucleus: the smallest prefix of the sorted distribution whose mass reaches topP
    double cum = 0;
    int cut = keep;
    for (int i = 0; i < keep; i++) {
      cum += p[i] / total;
      if (cum >= topP) {
        cut = i + 1;
        break;
      }
    }
    double mass = 0;
    for (int i = 0; i < cut; i++) mass += p[i];
    double u = rng.nextDouble() * mass;
    for (int i = 0; i < cut; i++) {
      u -= p[i];
      if (u <= 0) return order[i];
    }
    return order[cut - 1];
  }

  private static int argmax(float[] x) {
    int best = 0;
    for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
    return best;
  }

  public Generator validate() {
    if (maxNewTokens < 0) throw new IllegalArgumentException("max_new_tokens must be >= 0");
    if (temperature < 0)
      throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy)");
    if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0 (0 = off)");
    if (topP <= 0 || topP > 1)
      throw new IllegalArgumentException("top_p must be in (0, 1] (1 = off)");
    return this;
  }

  public int getMaxNewTokens() {
    return maxNewTokens;
  }

  public Generator setMaxNewTokens(int v) {
    maxNewTokens = v;
    return this;
  }

  public double getTemperature() {
    return temperature;
  }

  public Generator setTemperature(double v) {
    temperature = v;
    return this;
  }

  public int getTopK() {
    return topK;
  }

  public Generator setTopK(int v) {
    topK = v;
    return this;
  }

  public double getTopP() {
    return topP;
  }

  public Generator setTopP(double v) {
    topP = v;
    return this;
  }

  public int getEndOfText() {
    return endOfText;
  }

  public Generator setEndOfText(int v) {
    endOfText = v;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public Generator setSeed(long v) {
    seed = v;
    return this;
  }
}
