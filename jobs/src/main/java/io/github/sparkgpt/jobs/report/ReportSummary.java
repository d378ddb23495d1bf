package io.github.sparkgpt.jobs.report;

import io.github.sparkgpt.jobs.report.ReportModel.Evaluation;
import io.github.sparkgpt.jobs.report.ReportModel.Preprocess;
import io.github.sparkgpt.jobs.report.ReportModel.Pretrain;
import io.github.sparkgpt.jobs.report.ReportModel.Split;
import io.github.sparkgpt.jobs.report.ReportModel.TaskRun;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The report's headline numbers as plain text for a terminal: documents kept and dropped (top
 * reasons), tokens, pretraining loss and validation perplexity, and one line per task run with its
 * accuracy (or Pearson).
 */
public final class ReportSummary {
  private static final int TOP_REASONS = 4;

  private ReportSummary() {}

  public static String render(ReportModel m) {
    StringBuilder out = new StringBuilder();
    if (m.preprocess() != null) preprocess(out, m.preprocess());
    if (m.pretrain() != null) pretrain(out, m.pretrain());
    if (m.tasks() != null && !m.tasks().isEmpty()) {
      out.append("tasks (accuracy / macro-F1; Pearson for scores):\n");
      for (TaskRun r : m.tasks()) task(out, r);
    }
    return out.toString();
  }

  private static void preprocess(StringBuilder out, Preprocess p) {
    long dropped = p.docsIn() - p.docsOut();
    Map<String, Long> reasons = new LinkedHashMap<>();
    p.stages().forEach(s -> s.dropped().forEach((r, n) -> reasons.merge(r, n, Long::sum)));
    StringBuilder top = new StringBuilder();
    reasons.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(TOP_REASONS)
        .forEach(
            e ->
                top.append(top.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(e.getValue()));
    out.append(
        String.format(
            Locale.ROOT,
            "documents: %,d read, %,d kept, %,d dropped%s%n",
            p.docsIn(),
            p.docsOut(),
            dropped,
            top.length() == 0 ? "" : " (" + top + ")"));
    for (Split s : p.splits()) {
      out.append(
          String.format(
              Locale.ROOT,
              "tokens: %-10s %,d in %,d sequences%n",
              s.name(),
              s.packedTokens(),
              s.sequences()));
    }
  }

  private static void pretrain(StringBuilder out, Pretrain p) {
    out.append(
        String.format(
            Locale.ROOT,
            "pretraining: %s, %s parameters, %,d steps, %,d tokens; final train loss %s, "
                + "validation loss %s, perplexity %s%n",
            p.preset() == null ? "model" : p.preset(),
            p.parameters() == null ? "?" : String.format(Locale.ROOT, "%,d", p.parameters()),
            p.steps(),
            p.tokensSeen(),
            number(p.finalTrainLoss(), "%.3f"),
            number(p.finalValLoss(), "%.3f"),
            number(p.finalValPerplexity(), "%.1f")));
  }

  private static void task(StringBuilder out, TaskRun r) {
    String kind = r.kind() + (Boolean.FALSE.equals(r.pretrained()) ? ", from scratch" : "");
    StringBuilder line =
        new StringBuilder(String.format(Locale.ROOT, "  %-14s %-26s", r.id(), kind));
    for (Evaluation e : r.evaluations()) {
      if (e.pearson() != null && e.accuracy() == null) {
        line.append(
            String.format(Locale.ROOT, "  %s pearson %s", e.split(), number(e.pearson(), "%.3f")));
      } else {
        line.append(
            String.format(
                Locale.ROOT,
                "  %s %s / %s",
                e.split(),
                number(e.accuracy(), "%.3f"),
                number(e.macroF1(), "%.3f")));
      }
    }
    out.append(line).append('\n');
  }

  private static String number(Double v, String format) {
    return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, format, v);
  }
}
