package io.github.sparkgpt.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

  @Test
  void matchesHandComputedValuesWithoutTies() {
    // truth 1 2 3 4, predicted 1 3 2 4: deviations (-1.5 -.5 .5 1.5) and (-1.5 .5 -.5 1.5) -> r = 4
    // / 5
    RegressionMetrics m = new RegressionMetrics().add(1, 1).add(2, 3).add(3, 2).add(4, 4);
    assertEquals(0.8, m.pearson(), 1e-12);
    assertEquals(0.8, m.spearman(), 1e-12); // ranks are the values themselves
    assertEquals(0.5, m.mse(), 1e-12); // (0 + 1 + 1 + 0) / 4
    assertEquals(4, m.count());
  }

  @Test
  void tiedTruthsShareTheirAverageRank() {
    // truth 0 0 1 2 -> ranks 1.5 1.5 3 4; predicted .1 .3 .2 .9 -> ranks 1 3 2 4
    RegressionMetrics m = new RegressionMetrics().add(0, 0.1).add(0, 0.3).add(1, 0.2).add(2, 0.9);
    // rank deviations (-1 -1 .5 1.5) and (-1.5 .5 -.5 1.5): 3 / sqrt(4.5 * 5) = sqrt(0.4)
    assertEquals(Math.sqrt(0.4), m.spearman(), 1e-12);
    // raw deviations (-.75 -.75 .25 1.25) and (-.275 -.075 -.175 .525): .875 / sqrt(2.75 * .3875)
    assertEquals(0.875 / Math.sqrt(2.75 * 0.3875), m.pearson(), 1e-12);
    assertEquals((0.01 + 0.09 + 0.64 + 1.21) / 4, m.mse(), 1e-12);
    RunMetrics.Evaluation e = m.evaluation();
    assertEquals(4L, e.examples());
    assertEquals(m.pearson(), e.pearson(), 0);
    assertEquals(null, e.accuracy());
  }

  @Test
  void undefinedCorrelationsAreNaNNotZero() {
    assertEquals(Double.NaN, new RegressionMetrics().pearson());
    assertEquals(Double.NaN, new RegressionMetrics().mse());
    assertEquals(Double.NaN, new RegressionMetrics().add(1, 2).spearman());
    RegressionMetrics constant = new RegressionMetrics().add(1, 2).add(3, 2).add(5, 2);
    assertEquals(Double.NaN, constant.pearson());
    assertEquals(Double.NaN, constant.spearman());
    assertEquals((1 + 1 + 9) / 3.0, constant.mse(), 1e-12);
    // more pairs than the initial buffer
    RegressionMetrics many = new RegressionMetrics();
    for (int i = 0; i < 100; i++) many.add(i, 2 * i + 1);
    assertEquals(1.0, many.pearson(), 1e-12);
    assertEquals(100, many.count());
  }
}
