package io.github.sparkgpt.pipeline.pack;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic train/validation split by a seeded 64-bit hash of the document id: the same
 * document lands in the same split on every run and on any cluster layout, and whole documents go
 * to one side (no leakage of a document's text between train and validation).
 */
public final class SplitAssigner implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double validationFraction;
  private final long seed;

  public SplitAssigner(double validationFraction, long seed) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validation_fraction must be in [0, 1), got " + validationFraction);
    }
    this.validationFraction = validationFraction;
    this.seed = seed;
  }

  public boolean isValidation(String documentId) {
    // Top 53 bits of the hash as a uniform double in [0, 1).
    double u = (hash64(documentId, seed) >>> 11) * 0x1.0p-53;
    return u < validationFraction;
  }

  /**
   * FNV-1a over UTF-8 bytes, finished with the splitmix64 mixer; seeded. Stable across JVMs and
   * versions.
   */
  public static long hash64(String s, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return h;
  }
}
