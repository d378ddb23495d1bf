package io.github.sparkgpt.pipeline.filter.quality;

/** Parameter checks shared by the quality filters' {@code validate()}. */
final class Ratios {
  private Ratios() {}

  static void requireFraction(String stage, String key, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(
          stage + ": " + key + " must be a fraction in [0, 1], got " + v);
    }
  }

  static void requireNonNegative(String stage, String key, double v) {
    if (!(v >= 0))
      throw new IllegalArgumentException(stage + ": " + key + " must be >= 0, got " + v);
  }
}
