package io.github.sparkgpt.pipeline.dedup;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * MinHash signatures of shingle hashes with {@code bands x rows} hash functions, and their LSH band
 * keys.
 *
 * <p>Hash function i is multiply-add-shift universal hashing of the 64-bit shingle hash x: {@code
 * h_i(x) = (a_i * x + b_i) >>> 32} with odd random a_i (arithmetic mod 2^64), one multiply and one
 * add per shingle and function; the shingle hashes are already fully mixed, so the top 32 bits are
 * as good as a random permutation for MinHash. Signature entry i = min over the document's shingles
 * of h_i (32 bits: the chance that two different minima collide, 2^-32, is far below the
 * estimator's own noise).
 *
 * <p>P(two documents share a band) = 1 - (1 - J^rows)^bands for Jaccard J; the S-curve's midpoint
 * is about (1/bands)^(1/rows) (0.72 for 14 x 8).
 */
final class MinHasher implements Serializable {
  private static final long serialVersionUID = 1L;
  final int bands;
  final int rows;
  private final long[] a;
  private final long[] b;
  private final long bandSeed1;
  private final long bandSeed2;
  private transient long[] mins;

  MinHasher(int bands, int rows, long seed) {
    this.bands = bands;
    this.rows = rows;
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = bands * rows;
    a = new long[n];
    b = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextLong() | 1L;
      b[i] = rnd.nextLong();
    }
    bandSeed1 = rnd.nextLong();
    bandSeed2 = rnd.nextLong();
  }

  int numHashes() {
    return a.length;
  }

  /** The signature of {@code count} shingle hashes: int[bands * rows]. */
  int[] signature(long[] shingles, int count) {
    int n = a.length;
    if (mins == null) mins = new long[n];
    java.util.Arrays.fill(mins, Long.MAX_VALUE);
    for (int s = 0; s < count; s++) {
      long x = shingles[s];
      for (int i = 0; i < n; i++) {
        long v = (a[i] * x + b[i]) >>> 32;
        if (v < mins[i]) mins[i] = v;
      }
    }
    int[] sig = new int[n];
    for (int i = 0; i < n; i++) sig[i] = (int) mins[i];
    return sig;
  }

  /**
   * 128-bit key of band {@code band} of {@code sig}: two independent hashes of the band index and
   * its rows.
   */
  long bandKeyHi(int[] sig, int band) {
    return bandHash(sig, band, bandSeed1);
  }

  long bandKeyLo(int[] sig, int band) {
    return bandHash(sig, band, bandSeed2);
  }

  private long bandHash(int[] sig, int band, long seed) {
    long h = Hashing.combine(seed, band);
    for (int r = band * rows, end = r + rows; r < end; r++)
      h = Hashing.combine(h, sig[r] & 0xFFFFFFFFL);
    return h;
  }

  /**
   * Fraction of agreeing signature entries: an unbiased estimate of the Jaccard similarity of the
   * shingle sets.
   */
  static double estimatedJaccard(int[] x, int[] y) {
    int same = 0;
    for (int i = 0; i < x.length; i++) if (x[i] == y[i]) same++;
    return (double) same / x.length;
  }
}
