package io.github.sparkgpt.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Length bucketing: every example once, one width per round, less padding, the short round last.
 */
class LengthBucketsTest {
  // 1,003 examples: most short, a few long (like sentences with a long tail)
  static final int[] LENGTHS =
      new Random(7).ints(1003, 0, 100).map(r -> r < 90 ? 5 + r / 10 : 64).toArray();

  @Test
  void everyExampleOncePerEpochAndOneWidthPerRound() {
    List<LengthBuckets.Batch> epoch = LengthBuckets.epoch(LENGTHS, 16, 10, 4, new Random(1));
    int[] seen = new int[LENGTHS.length];
    for (int r = 0; r < epoch.size(); r += 10) {
      List<LengthBuckets.Batch> round = epoch.subList(r, Math.min(epoch.size(), r + 10));
      int longest = 0;
      for (LengthBuckets.Batch b : round) {
        for (int e : b.examples()) longest = Math.max(longest, LENGTHS[e]);
      }
      for (LengthBuckets.Batch b : round) {
        assertEquals(longest, b.width(), "round " + r / 10 + " is padded to its longest example");
        for (int e : b.examples()) seen[e]++;
      }
    }
    int[] once = new int[LENGTHS.length];
    Arrays.fill(once, 1);
    assertEquals(Arrays.toString(once), Arrays.toString(seen));
    // 1,003 = 6 full rounds of 160 + one of 43 examples: the short round is the last
    LengthBuckets.Batch last = epoch.get(epoch.size() - 1);
    assertEquals(43 - 32, last.examples().length);
    assertEquals(16 * 10 * 6 + 43, Arrays.stream(seen).sum());
  }

  @Test
  void bucketingCutsPaddingAndThePlainShufflePadsEachRoundToItsLongest() {
    List<LengthBuckets.Batch> plain = LengthBuckets.epoch(LENGTHS, 16, 10, 0, new Random(1));
    // 10% of the rows are 64 long: every round of 160 random rows holds one
    for (LengthBuckets.Batch b : plain) assertEquals(64, b.width());
    List<LengthBuckets.Batch> sorted = LengthBuckets.epoch(LENGTHS, 16, 10, 4, new Random(1));
    long bucketed =
        LengthBuckets.paddedPositions(LengthBuckets.epoch(LENGTHS, 16, 10, 4, new Random(1)));
    long all = LengthBuckets.paddedPositions(plain);
    assertEquals(1003L * 64, all);
    assertTrue(bucketed < 0.5 * all, "bucketed " + bucketed + " vs " + all);
  }

  @Test
  void seededAndShuffled() {
    List<LengthBuckets.Batch> a = LengthBuckets.epoch(LENGTHS, 16, 10, 4, new Random(1));
    List<LengthBuckets.Batch> b = LengthBuckets.epoch(LENGTHS, 16, 10, 4, new Random(1));
    List<LengthBuckets.Batch> c = LengthBuckets.epoch(LENGTHS, 16, 10, 4, new Random(2));
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++)
      assertEquals(Arrays.toString(a.get(i).examples()), Arrays.toString(b.get(i).examples()));
    assertNotEquals(Arrays.toString(a.get(0).examples()), Arrays.toString(c.get(0).examples()));
    // rounds are shuffled: widths do not come in sorted order
    int[] widths = a.stream().mapToInt(LengthBuckets.Batch::width).toArray();
    int[] sorted = widths.clone();
    Arrays.sort(sorted);
    assertNotEquals(Arrays.toString(sorted), Arrays.toString(widths));
  }

  @Test
  void thePlainShuffleKeepsTheOrderAndPadsEachRoundAlone() {
    int[] lengths = {3, 9, 2, 4, 5, 7, 1, 8};
    List<Integer> order = new java.util.ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));
    java.util.Collections.shuffle(order, new Random(3));
    List<LengthBuckets.Batch> epoch = LengthBuckets.epoch(lengths, 2, 2, 0, new Random(3));
    int[] flat = epoch.stream().flatMapToInt(b -> Arrays.stream(b.examples())).toArray();
    assertEquals(
        order.toString(), Arrays.toString(flat)); // the same shuffle as before rounds had widths
    for (int r = 0; r < 2; r++) {
      int longest = 0;
      for (int i = 4 * r; i < 4 * r + 4; i++) longest = Math.max(longest, lengths[order.get(i)]);
      assertEquals(longest, epoch.get(2 * r).width());
      assertEquals(longest, epoch.get(2 * r + 1).width());
    }
  }

  @Test
  void emptyEpoch() {
    assertEquals(List.of(), LengthBuckets.epoch(new int[0], 16, 10, 4, new Random(1)));
  }
}
