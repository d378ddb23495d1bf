package io.github.sparkgpt.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  @Test
  void matchesHandComputedValues() {
    // truth a a a b b c ; predicted a a b b c c
    ClassificationMetrics m = new ClassificationMetrics(List.of("a", "b", "c"));
    int[][] pairs = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 2}, {2, 2}};
    for (int[] p : pairs) m.add(p[0], p[1]);
    assertEquals(4 / 6.0, m.accuracy(), 1e-12);
    assertEquals(1.0, m.precision(0), 1e-12);
    assertEquals(2 / 3.0, m.recall(0), 1e-12);
    assertEquals(0.5, m.precision(1), 1e-12);
    assertEquals(0.5, m.recall(1), 1e-12);
    assertEquals(0.5, m.precision(2), 1e-12);
    assertEquals(1.0, m.recall(2), 1e-12);
    double f1a = 2 * 1.0 * (2 / 3.0) / (1 + 2 / 3.0), f1b = 0.5, f1c = 2 * 0.5 / 1.5;
    assertEquals((f1a + f1b + f1c) / 3, m.macroF1(), 1e-12);
    assertArrayEquals(new long[] {2, 1, 0}, m.confusion()[0]);
    assertArrayEquals(new long[] {0, 1, 1}, m.confusion()[1]);
    assertArrayEquals(new long[] {0, 0, 1}, m.confusion()[2]);
    assertEquals(2L, m.evaluation().perClass().get("b").support());
  }

  @Test
  void neverPredictedClassCountsAsZeroInMacroF1() {
    ClassificationMetrics m = new ClassificationMetrics(List.of("x", "y"));
    m.add(0, 0).add(1, 0);
    assertEquals(0.0, m.precision(1));
    assertEquals(0.0, m.recall(1));
    assertEquals((2 * 0.5 * 1 / 1.5 + 0) / 2, m.macroF1(), 1e-12);
    assertEquals(Double.NaN, new ClassificationMetrics(List.of("x", "y")).accuracy());
  }
}
