package io.github.sparkgpt.jobs.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parts of TrainingData that need no Spark: context windows and the per-epoch permutation. */
class TrainingDataTest {

  @Test
  void rowsOfTheDataContextAreCutIntoWindowsOfTheModelContext() {
    int[] row = new int[17]; // data context 16
    for (int i = 0; i < row.length; i++) row[i] = i;
    List<int[]> w = TrainingData.windows(row, 8);
    assertEquals(2, w.size());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, w.get(0));
    assertArrayEquals(new int[] {8, 9, 10, 11, 12, 13, 14, 15, 16}, w.get(1));
    assertEquals(1, TrainingData.windows(row, 16).size()); // same context: the row itself
    assertEquals(3, TrainingData.windows(row, 5).size()); // 15 of 16 targets used, one dropped
  }

  @Test
  void eachEpochVisitsEveryRowOnceInADifferentOrder() {
    long n = 1000;
    long[] e0 = TrainingData.permutation(n, 7, 0);
    long[] e1 = TrainingData.permutation(n, 7, 1);
    Set<Long> seen = new HashSet<>();
    for (long i = 0; i < n; i++) seen.add(Math.floorMod(e0[0] * i + e0[1], n));
    assertEquals(n, seen.size());
    assertTrue(e0[0] != e1[0] || e0[1] != e1[1]);
    assertArrayEquals(
        e0, TrainingData.permutation(n, 7, 0)); // deterministic: resume sees the same order
  }
}
