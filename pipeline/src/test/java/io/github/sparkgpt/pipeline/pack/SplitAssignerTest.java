package io.github.sparkgpt.pipeline.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SplitAssignerTest {
  @Test
  void sameIdSameSplitAcrossInstances() {
    SplitAssigner a = new SplitAssigner(0.3, 42);
    SplitAssigner b = new SplitAssigner(0.3, 42);
    for (int i = 0; i < 1000; i++)
      assertEquals(a.isValidation("doc-" + i), b.isValidation("doc-" + i));
  }

  @Test
  void fractionIsRespectedApproximately() {
    SplitAssigner a = new SplitAssigner(0.1, 7);
    int n = 100_000;
    int val = 0;
    for (int i = 0; i < n; i++)
      if (a.isValidation("file:/corpus/part-" + (i / 100) + "#L" + (i % 100))) val++;
    assertEquals(0.1, val / (double) n, 0.005);
  }

  @Test
  void zeroFractionSendsEverythingToTrain() {
    SplitAssigner a = new SplitAssigner(0.0, 7);
    for (int i = 0; i < 1000; i++) assertFalse(a.isValidation("d" + i));
  }

  @Test
  void seedChangesTheHash() {
    assertNotEquals(SplitAssigner.hash64("x", 1), SplitAssigner.hash64("x", 2));
    assertEquals(SplitAssigner.hash64("x", 1), SplitAssigner.hash64("x", 1));
  }

  @Test
  void rejectsFractionOutsideRange() {
    assertThrows(IllegalArgumentException.class, () -> new SplitAssigner(1.0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SplitAssigner(-0.1, 1));
  }
}
