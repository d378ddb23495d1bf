package io.github.sparkgpt.model.decode;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Picks the next token from logits: greedy (temperature 0), or sampled with temperature, top-k and
 * top-p (nucleus). The draws come from the caller's {@link Random}, so a seed fixes them.
 */
public final class Sampler {
  private final double temperature; // 0 = greedy
  private final int topK; // 0 = off
  private final double topP; // 1 = off

  public Sampler(double temperature, int topK, double topP) {
    if (temperature < 0)
      throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy)");
    if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0 (0 = off)");
    if (topP <= 0 || topP > 1)
      throw new IllegalArgumentException("top_p must be in (0, 1] (1 = off)");
    this.temperature = temperature;
    this.topK = topK;
    this.topP = topP;
  }

  public int next(float[] logits, Random rng) {
    return temperature == 0 ? argmax(logits) : sample(logits, rng);
  }

  private int sample(float[] logits, Random rng) {
    int[] order = mostLikely(logits, topK > 0 ? Math.min(topK, logits.length) : logits.length);
    int keep = order.length;
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

  /** The k ids with the largest logits, most likely first (ties: lower id first). */
  static int[] mostLikely(float[] logits, int k) {
    // a min-heap of the best k so far: O(V log k) instead of sorting the whole vocabulary
    PriorityQueue<Integer> heap = new PriorityQueue<>(k, (a, b) -> better(logits, b, a));
    for (int i = 0; i < logits.length; i++) {
      if (heap.size() < k) heap.add(i);
      else if (better(logits, i, heap.peek()) < 0) {
        heap.poll();
        heap.add(i);
      }
    }
    Integer[] top = heap.toArray(new Integer[0]);
    Arrays.sort(top, (a, b) -> better(logits, a, b));
    return Arrays.stream(top).mapToInt(Integer::intValue).toArray();
  }

  /** Negative when id a ranks before id b. */
  private static int better(float[] logits, int a, int b) {
    int byLogit = Float.compare(logits[b], logits[a]);
    return byLogit != 0 ? byLogit : Integer.compare(a, b);
  }

  static int argmax(float[] x) {
    int best = 0;
    for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
    return best;
  }
}
