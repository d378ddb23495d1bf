package io.github.sparkgpt.jobs.metrics;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Pearson and Spearman correlation (the GLUE STS-B metrics) and mean squared error of predicted
 * against true scores. Spearman is Pearson on ranks, tied values sharing their average rank. Fewer
 * than 2 pairs, or constant truths or predictions, leave a correlation undefined: NaN, never a
 * made-up 0. Computed with commons-math3 (on the classpath through Spark).
 */
public final class RegressionMetrics {
  private double[] truth = new double[16];
  private double[] predicted = new double[16];
  private int n;

  public RegressionMetrics add(double truth, double predicted) {
    if (n == this.truth.length) {
      this.truth = java.util.Arrays.copyOf(this.truth, 2 * n);
      this.predicted = java.util.Arrays.copyOf(this.predicted, 2 * n);
    }
    this.truth[n] = truth;
    this.predicted[n] = predicted;
    n++;
    return this;
  }

  public long count() {
    return n;
  }

  public double pearson() {
    return undefined() ? Double.NaN : new PearsonsCorrelation().correlation(x(), y());
  }

  public double spearman() {
    if (undefined()) return Double.NaN;
    return new SpearmansCorrelation(new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE))
        .correlation(x(), y());
  }

  public double mse() {
    if (n == 0) return Double.NaN;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
    return sum / n;
  }

  /** For metrics.json: examples, pearson, spearman, mse. */
  public RunMetrics.Evaluation evaluation() {
    return new RunMetrics.Evaluation(
        (long) n, null, null, null, null, null, pearson(), spearman(), mse());
  }

  private boolean undefined() {
    return n < 2 || constant(truth) || constant(predicted);
  }

  private boolean constant(double[] v) {
    for (int i = 1; i < n; i++) if (v[i] != v[0]) return false;
    return true;
  }

  private double[] x() {
    return java.util.Arrays.copyOf(truth, n);
  }

  private double[] y() {
    return java.util.Arrays.copyOf(predicted, n);
  }
}
