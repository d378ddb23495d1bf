package io.github.sparkgpt.jobs.report;

import static io.github.sparkgpt.jobs.report.HtmlParts.NONE;
import static io.github.sparkgpt.jobs.report.HtmlParts.count;
import static io.github.sparkgpt.jobs.report.HtmlParts.fixed;
import static io.github.sparkgpt.jobs.report.HtmlParts.orNone;

import io.github.sparkgpt.jobs.report.HtmlParts.Table;
import io.github.sparkgpt.jobs.report.ReportModel.ClassMetrics;
import io.github.sparkgpt.jobs.report.ReportModel.Evaluation;
import io.github.sparkgpt.jobs.report.ReportModel.TaskRun;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Element;

/**
 * The report's task-run sections: one table of every run's evaluations, per-class details, and the
 * lineage chain.
 */
final class TaskRunsHtml {
  private TaskRunsHtml() {}

  static void tasks(Element s, List<TaskRun> runs) {
    boolean correlations =
        runs.stream()
            .flatMap(r -> r.evaluations().stream())
            .anyMatch(e -> e.pearson() != null || e.spearman() != null);
    boolean answers =
        runs.stream().flatMap(r -> r.evaluations().stream()).anyMatch(e -> e.exactMatch() != null);
    Table t =
        new Table(s)
            .text("run")
            .text("kind")
            .text("initialisation")
            .text("task")
            .text("split")
            .num("examples")
            .num("accuracy")
            .num("macro-F1");
    if (correlations) t.num("pearson").num("spearman");
    if (answers) t.num("exact match").num("token F1");
    t.num("steps");
    for (TaskRun r : runs) runRows(t, r, correlations, answers);
    for (TaskRun r : runs) perClassDetails(s, r);
    for (TaskRun r : runs) {
      if (r.epochLossPng() != null)
        HtmlParts.figure(s, r.epochLossPng(), r.id() + ": loss per epoch");
      if (r.preferencePng() != null)
        HtmlParts.figure(s, r.preferencePng(), r.id() + ": preference per epoch");
    }
  }

  /**
   * One row per evaluation of the run (one "no metrics" row when it has none); the run's own cells
   * span them.
   */
  private static void runRows(Table t, TaskRun r, boolean correlations, boolean answers) {
    String init = r.pretrained() == null ? NONE : r.pretrained() ? "pretrained" : "from scratch";
    List<Evaluation> evs = r.evaluations();
    int rows = Math.max(1, evs.size());
    for (int i = 0; i < rows; i++) {
      Evaluation e = evs.isEmpty() ? null : evs.get(i);
      List<String> cells = new ArrayList<>();
      if (i == 0) {
        cells.addAll(List.of(r.id(), orNone(r.kind()), init, orNone(r.task())));
      }
      cells.add(e == null ? "no metrics" : e.split());
      cells.add(e == null || e.examples() == null ? NONE : count(e.examples()));
      cells.add(fixed(e == null ? null : e.accuracy(), 4));
      cells.add(fixed(e == null ? null : e.macroF1(), 4));
      if (correlations) {
        cells.add(fixed(e == null ? null : e.pearson(), 4));
        cells.add(fixed(e == null ? null : e.spearman(), 4));
      }
      if (answers) {
        cells.add(fixed(e == null ? null : e.exactMatch(), 4));
        cells.add(fixed(e == null ? null : e.tokenF1(), 4));
      }
      if (i == 0) cells.add(r.steps() == null ? NONE : count(r.steps()));
      Element tr = t.rowFrom(i == 0 ? 0 : 4, cells);
      if (i == 0 && rows > 1) {
        // the run's own cells span its split rows
        for (int c = 0; c < 4; c++) tr.child(c).attr("rowspan", String.valueOf(rows));
        tr.child(tr.childrenSize() - 1).attr("rowspan", String.valueOf(rows));
      }
      if (i == 0) tr.addClass("run-start");
    }
  }

  /**
   * Per-class precision and recall and the confusion matrix of each split, folded; only when any.
   */
  private static void perClassDetails(Element s, TaskRun r) {
    if (r.evaluations().stream().allMatch(e -> e.perClass().isEmpty() && e.confusion().isEmpty()))
      return;
    Element d = s.appendElement("details");
    d.appendElement("summary").text(r.id() + ": per-class precision and recall, confusion matrix");
    d.appendElement("p").addClass("path").text(r.dir().toString());
    for (Evaluation e : r.evaluations()) {
      Element group = d.appendElement("div").addClass("split");
      group.appendElement("h4").text(e.split());
      if (!e.perClass().isEmpty()) {
        Table pc =
            new Table(group).text("class").num("precision").num("recall").num("F1").num("support");
        for (ClassMetrics c : e.perClass()) {
          pc.row(
              c.label(),
              fixed(c.precision(), 4),
              fixed(c.recall(), 4),
              fixed(c.f1(), 4),
              c.support() == null ? NONE : count(c.support()));
        }
      }
      if (!e.confusion().isEmpty()) confusion(group, e);
    }
  }

  /**
   * From raw input to the last model, by content hash (sha256, shortened; the full hash on hover).
   */
  static void lineage(Element s, List<LineageChain.Row> rows) {
    s.appendElement("p")
        .addClass("meta")
        .text(
            "Checkpoint digest: sha256sum config.json model.zip tokenizer.json | sha256sum in the"
                + " checkpoint directory. Data: sha256 of the preprocess output's manifest.json.");
    Table t = new Table(s).text("artefact").text("sha256").text("came from").text("check");
    for (LineageChain.Row r : rows) {
      Element tr =
          t.row(
              r.artefact(),
              r.sha256().isEmpty() ? NONE : LineageChain.shorten(r.sha256()),
              r.cameFrom(),
              r.check());
      tr.child(0).attr("title", r.path());
      if (!r.sha256().isEmpty()) tr.child(1).attr("title", r.sha256()).addClass("path");
    }
  }

  /** Rows: true label; columns: predicted label; the diagonal (correct) highlighted. */
  private static void confusion(Element parent, Evaluation e) {
    parent
        .appendElement("p")
        .addClass("note")
        .text("Confusion matrix (rows: true label, columns: predicted)");
    Table t = new Table(parent).text("true \\ predicted");
    for (String l : e.labels()) t.num(l);
    t.table.addClass("confusion");
    for (int i = 0; i < e.confusion().size(); i++) {
      List<String> cells = new ArrayList<>();
      cells.add(e.labels().get(i));
      for (Long v : e.confusion().get(i)) cells.add(count(v));
      Element tr = t.rowFrom(0, cells);
      if (i + 1 < tr.childrenSize()) tr.child(i + 1).addClass("diag");
    }
  }
}
