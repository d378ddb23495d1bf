package io.github.sparkgpt.jobs.report;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.layout.TaskRunLayout;
import io.github.sparkgpt.jobs.metrics.MetricsPlots;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.metrics.RunMetricsJson;
import io.github.sparkgpt.jobs.report.ReportModel.ClassMetrics;
import io.github.sparkgpt.jobs.report.ReportModel.Evaluation;
import io.github.sparkgpt.jobs.report.ReportModel.TaskRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads fine-tuning, sft and few-shot run directories for the report, through {@link RunMetrics}
 * (older metrics.json layouts included). A missing or unreadable metrics.json is a {@link
 * UsageException} naming it.
 */
public final class TaskRunReader {
  /** The evaluations shown, in this order. */
  public static final List<String> EVALUATION_KEYS = List.of("validation", "test", "eval");

  private TaskRunReader() {}

  /**
   * The task runs under {@code dir}: the directory itself when it holds metrics.json, otherwise
   * each subdirectory that does (a fine-tuning --output holding several run ids), sorted by name.
   */
  public static List<TaskRun> taskRuns(Path dir) {
    if (Files.isRegularFile(dir.resolve(TaskRunLayout.METRICS))) return List.of(taskRun(dir));
    List<TaskRun> runs = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.sorted().toList()) {
          if (Files.isRegularFile(p.resolve(TaskRunLayout.METRICS))) runs.add(taskRun(p));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (runs.isEmpty())
      throw new UsageException(
          dir.resolve(TaskRunLayout.METRICS) + " not found (nor in any subdirectory)");
    return runs;
  }

  public static TaskRun taskRun(Path dir) {
    Path file = ArtefactReader.required(dir, TaskRunLayout.METRICS);
    RunMetrics m;
    try {
      m = RunMetricsJson.read(file, dir.resolve(TaskRunLayout.LABELS));
    } catch (IOException e) {
      throw new UsageException(file + ": not readable JSON (" + e.getMessage() + ")");
    }
    String kind = null;
    if (m.fewshot() != null) {
      // a few-shot run evaluates a pretrained checkpoint without training it
      int shots = m.fewshot().shots() == null ? 0 : m.fewshot().shots();
      kind = shots == 0 ? "zero-shot" : "few-shot, " + shots + " shots";
    } else if (RunMetrics.SFT.equals(m.kind()) || RunMetrics.DPO.equals(m.kind())) {
      kind = m.kind();
    } else if (m.training() != null) {
      kind = "fine-tuned";
    }
    List<Evaluation> evaluations = new ArrayList<>();
    for (String key : EVALUATION_KEYS) {
      RunMetrics.Evaluation e = m.evaluations() == null ? null : m.evaluations().get(key);
      if (e != null && (e.isClassification() || e.exactMatch() != null))
        evaluations.add(evaluation(key, e));
    }
    RunMetrics.Training t = m.training();
    return new TaskRun(
        dir.getFileName().toString(),
        dir,
        kind,
        m.pretrained(),
        m.task(),
        t == null ? null : t.steps(),
        t == null ? null : t.seconds(),
        evaluations,
        t == null ? null : MetricsPlots.epochLosses(t.epochs()).orElse(null),
        t == null ? null : MetricsPlots.epochPreference(t.epochs()).orElse(null));
  }

  private static Evaluation evaluation(String split, RunMetrics.Evaluation e) {
    List<String> labels =
        e.labels() != null
            ? e.labels()
            : e.perClass() != null ? List.copyOf(e.perClass().keySet()) : List.of();
    List<ClassMetrics> perClass = new ArrayList<>();
    if (e.perClass() != null) {
      e.perClass()
          .forEach(
              (name, c) ->
                  perClass.add(
                      new ClassMetrics(name, c.precision(), c.recall(), c.f1(), c.support())));
    }
    List<List<Long>> confusion = e.confusionMatrix() == null ? List.of() : e.confusionMatrix();
    if (confusion.size() != labels.size())
      confusion = List.of(); // a matrix we cannot label is not shown
    return new Evaluation(
        split,
        e.examples(),
        e.accuracy(),
        e.macroF1(),
        e.pearson(),
        e.spearman(),
        perClass,
        labels,
        confusion,
        e.exactMatch(),
        e.tokenF1());
  }
}
