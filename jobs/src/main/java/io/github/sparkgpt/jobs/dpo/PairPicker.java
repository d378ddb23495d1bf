package io.github.sparkgpt.jobs.dpo;

/** Chosen = the best scored sample, rejected = the worst; no pair when they score the same. */
final class PairPicker {
  private PairPicker() {}

  /** {best, worst} indexes into {@code scores}, or null on a tie (every sample scored the same). */
  static int[] pick(double[] scores) {
    int best = 0, worst = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) best = i;
      if (scores[i] < scores[worst]) worst = i;
    }
    return scores[best] > scores[worst] ? new int[] {best, worst} : null;
  }
}
