package io.github.sparkgpt.pipeline.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MinHasherTest {
  /** Random 64-bit "shingle hashes" 0..n-1 of a universe: sets with a known Jaccard. */
  private static long[] set(long[] universe, int from, int to) {
    return LongStream.range(from, to).map(i -> universe[(int) i]).toArray();
  }

  @Test
  void signatureAgreementEstimatesJaccard() {
    SplittableRandom rnd = new SplittableRandom(5);
    long[] universe = LongStream.generate(rnd::nextLong).limit(3000).toArray();
    MinHasher h = new MinHasher(64, 64, 11); // 4096 functions: std error ~0.007
    for (int[] ab :
        new int[][] {{0, 1000, 100, 1100}, {0, 1000, 500, 1500}, {0, 1000, 900, 1900}}) {
      long[] x = set(universe, ab[0], ab[1]);
      long[] y = set(universe, ab[2], ab[3]);
      double overlap = Math.max(0, ab[1] - ab[2]);
      double truth = overlap / (2000 - overlap);
      double est = MinHasher.estimatedJaccard(h.signature(x, x.length), h.signature(y, y.length));
      assertEquals(truth, est, 0.03, "Jaccard " + truth);
    }
  }

  @Test
  void sameSeedSameSignatureAndDuplicatesIgnored() {
    long[] x = {1, 2, 3, 4, 5};
    long[] xx = {5, 4, 3, 2, 1, 1, 2, 3};
    assertArrayEquals(
        new MinHasher(14, 8, 1).signature(x, 5), new MinHasher(14, 8, 1).signature(xx, 8));
    assertEquals(112, new MinHasher(14, 8, 1).signature(x, 5).length);
    assertNotEquals(
        new MinHasher(14, 8, 1).signature(x, 5)[0], new MinHasher(14, 8, 2).signature(x, 5)[0]);
    // Only the first `count` entries are read (the shingler's buffer is larger than its content).
    assertArrayEquals(
        new MinHasher(2, 2, 1).signature(new long[] {7, 8, 99}, 2),
        new MinHasher(2, 2, 1).signature(new long[] {7, 8}, 2));
  }

  @Test
  void bandKeysDependOnBandIndexAndRows() {
    MinHasher h = new MinHasher(3, 2, 1);
    int[] sig = {1, 2, 1, 2, 1, 3};
    assertNotEquals(
        h.bandKeyHi(sig, 0), h.bandKeyHi(sig, 1), "same rows, different band: different bucket");
    assertNotEquals(h.bandKeyLo(sig, 0), h.bandKeyLo(sig, 1));
    assertNotEquals(h.bandKeyHi(sig, 0), h.bandKeyHi(sig, 2));
    int[] other = {1, 2, 9, 9, 9, 9};
    assertEquals(h.bandKeyHi(sig, 0), h.bandKeyHi(other, 0));
    assertEquals(h.bandKeyLo(sig, 0), h.bandKeyLo(other, 0));
  }

  @Test
  void defaultBandingThresholdIsAboutPointSevenTwo() {
    MinHashDedup d = new MinHashDedup();
    assertEquals(0.719, d.lshThreshold(), 0.001);
    assertTrue(d.candidateProbability(0.9) > 0.999);
    assertTrue(d.candidateProbability(0.3) < 0.001);
  }
}
