package io.github.sparkgpt.jobs.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix ({@code
 * [true][predicted]}) of predicted against true class indices. A class never predicted has
 * precision 0; one never present has recall 0 (scikit-learn's zero_division=0), and macro-F1
 * averages over every class of the label map.
 */
public final class ClassificationMetrics {
  private final List<String> classes;
  private final long[][] confusion;
  private long total;
  private long correct;

  public ClassificationMetrics(List<String> classes) {
    this.classes = List.copyOf(classes);
    this.confusion = new long[classes.size()][classes.size()];
  }

  public ClassificationMetrics add(int truth, int predicted) {
    confusion[truth][predicted]++;
    total++;
    if (truth == predicted) correct++;
    return this;
  }

  public long count() {
    return total;
  }

  public double accuracy() {
    return total == 0 ? Double.NaN : (double) correct / total;
  }

  public double precision(int c) {
    long predicted = 0;
    for (long[] row : confusion) predicted += row[c];
    return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
  }

  public double recall(int c) {
    long actual = 0;
    for (long v : confusion[c]) actual += v;
    return actual == 0 ? 0 : (double) confusion[c][c] / actual;
  }

  public double f1(int c) {
    double p = precision(c), r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  public double macroF1() {
    double sum = 0;
    for (int c = 0; c < classes.size(); c++) sum += f1(c);
    return sum / classes.size();
  }

  public long[][] confusion() {
    long[][] copy = new long[confusion.length][];
    for (int i = 0; i < confusion.length; i++) copy[i] = confusion[i].clone();
    return copy;
  }

  /**
   * For metrics.json: examples, accuracy, macro-F1, per-class scores, labels and the confusion
   * matrix.
   */
  public RunMetrics.Evaluation evaluation() {
    Map<String, RunMetrics.ClassScores> per = new LinkedHashMap<>();
    List<List<Long>> rows = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      long support = 0;
      List<Long> r = new ArrayList<>();
      for (long v : confusion[c]) {
        support += v;
        r.add(v);
      }
      per.put(classes.get(c), new RunMetrics.ClassScores(precision(c), recall(c), f1(c), support));
      rows.add(r); // rows = true label, columns = predicted, in "labels" order
    }
    return new RunMetrics.Evaluation(
        total, accuracy(), macroF1(), per, classes, rows, null, null, null);
  }
}
