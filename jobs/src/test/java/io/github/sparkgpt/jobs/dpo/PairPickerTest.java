package io.github.sparkgpt.jobs.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PairPickerTest {
  @Test
  void bestIsChosenWorstIsRejectedAndTiesGiveNoPair() {
    assertArrayEquals(new int[] {2, 1}, PairPicker.pick(new double[] {0.5, 0.1, 0.9, 0.4}));
    // the first of equal bests and of equal worsts
    assertArrayEquals(new int[] {0, 1}, PairPicker.pick(new double[] {0.9, 0.2, 0.9, 0.2}));
    assertNull(PairPicker.pick(new double[] {0.7, 0.7, 0.7, 0.7}));
  }
}
