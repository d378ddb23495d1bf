package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.jobs.metrics.ClassificationMetrics;
import io.github.sparkgpt.jobs.metrics.RegressionMetrics;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.pipeline.task.LabelMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Evaluates a task network on encoded examples (on the driver) and turns its outputs into
 * predictions rows. Class-labelled tasks (classification, entailment, similarity with labels,
 * multiple choice with answer indices as classes) get {@link ClassificationMetrics}; score
 * similarity gets {@link RegressionMetrics}.
 */
public final class TaskEvaluator {
  private final LabelMap labels; // null for score similarity
  private final int contextLength;
  private final int batchSize;

  /**
   * @param labels the class names (multiple choice: "0".."k-1"), or null for real-valued scores
   */
  public TaskEvaluator(LabelMap labels, int contextLength, int batchSize) {
    this.labels = labels;
    this.contextLength = contextLength;
    this.batchSize = batchSize;
  }

  public boolean isScore() {
    return labels == null;
  }

  /**
   * One split's outcome: exactly one of {@code classes} / {@code scores} is set, with the matching
   * outputs ({@code probabilities} [examples][classes] or {@code predicted} [examples]).
   */
  public record Result(
      ClassificationMetrics classes,
      double[][] probabilities,
      RegressionMetrics scores,
      double[] predicted) {
    public long count() {
      return classes != null ? classes.count() : scores.count();
    }

    /** For metrics.json (validation, test). */
    public RunMetrics.Evaluation evaluation() {
      return classes != null ? classes.evaluation() : scores.evaluation();
    }

    /** The metric a run is judged by: accuracy, or Pearson for scores. */
    public String headlineName() {
      return classes != null ? "accuracy" : "pearson";
    }

    public double headline() {
      return classes != null ? classes.accuracy() : scores.pearson();
    }

    /**
     * Per-epoch record: {prefix_accuracy, prefix_macro_f1} or {prefix_pearson, prefix_spearman,
     * prefix_mse}.
     */
    public Map<String, Object> summary(String prefix) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (classes != null) {
        m.put(prefix + "_accuracy", classes.accuracy());
        m.put(prefix + "_macro_f1", classes.macroF1());
      } else {
        m.put(prefix + "_pearson", scores.pearson());
        m.put(prefix + "_spearman", scores.spearman());
        m.put(prefix + "_mse", scores.mse());
      }
      return m;
    }

    /**
     * For the console: "accuracy 0.9000, macro-F1 0.8990" or "Pearson 0.81, Spearman 0.79, MSE
     * 0.52".
     */
    public String describe() {
      return classes != null
          ? String.format(
              Locale.ROOT, "accuracy %.4f, macro-F1 %.4f", classes.accuracy(), classes.macroF1())
          : String.format(
              Locale.ROOT,
              "Pearson %.4f, Spearman %.4f, MSE %.4f",
              scores.pearson(),
              scores.spearman(),
              scores.mse());
    }
  }

  public Result evaluate(ComputationGraph net, TaskEncoder.Encoded data) {
    if (isScore()) {
      double[] y = TaskPredictor.scores(net, data, contextLength, batchSize);
      RegressionMetrics m = new RegressionMetrics();
      for (int i = 0; i < data.size(); i++) if (data.labelled(i)) m.add(data.targets()[i], y[i]);
      return new Result(null, null, m, y);
    }
    double[][] p = TaskPredictor.probabilities(net, data, contextLength, batchSize);
    ClassificationMetrics m = new ClassificationMetrics(labels.names());
    for (int i = 0; i < data.size(); i++)
      if (data.labelled(i)) m.add(data.labels()[i], TaskPredictor.argmax(p[i]));
    return new Result(m, p, null, null);
  }

  /**
   * predictions.jsonl rows: {id, prediction, probabilities {label: p}, label} for classes (multiple
   * choice: the answer index and one probability per answer); {id, prediction (the score), label
   * (the true score)} for scores. The label is present only when the example has one.
   */
  public List<Map<String, Object>> predictions(TaskEncoder.Encoded data, Result r) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", data.ids().get(i));
      if (isScore()) {
        row.put("prediction", r.predicted()[i]);
        if (data.labelled(i)) row.put("label", data.targets()[i]);
      } else {
        double[] p = r.probabilities()[i];
        row.put("prediction", labels.name(TaskPredictor.argmax(p)));
        Map<String, Double> probs = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) probs.put(labels.name(c), p[c]);
        row.put("probabilities", probs);
        if (data.labelled(i)) row.put("label", labels.name(data.labels()[i]));
      }
      rows.add(row);
    }
    return rows;
  }
}
