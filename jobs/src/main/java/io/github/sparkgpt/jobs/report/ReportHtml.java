package io.github.sparkgpt.jobs.report;

import static io.github.sparkgpt.jobs.report.HtmlParts.NONE;
import static io.github.sparkgpt.jobs.report.HtmlParts.count;
import static io.github.sparkgpt.jobs.report.HtmlParts.figure;
import static io.github.sparkgpt.jobs.report.HtmlParts.fixed;
import static io.github.sparkgpt.jobs.report.HtmlParts.plain;
import static io.github.sparkgpt.jobs.report.HtmlParts.section;
import static io.github.sparkgpt.jobs.report.HtmlParts.source;
import static io.github.sparkgpt.jobs.report.HtmlParts.tile;
import static io.github.sparkgpt.jobs.report.HtmlParts.tiles;

import io.github.sparkgpt.jobs.Versions;
import io.github.sparkgpt.jobs.report.HtmlParts.Table;
import io.github.sparkgpt.jobs.report.ReportModel.Pretrain;
import io.github.sparkgpt.jobs.report.ReportModel.Sample;
import io.github.sparkgpt.jobs.report.ReportModel.Samples;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Draws a {@link ReportModel} as one self-contained HTML page: inline CSS, plots as PNG data URIs,
 * no scripts and no network. Built with jsoup's element tree, so every text from the artefacts
 * (paths, labels, samples) is escaped.
 */
public final class ReportHtml {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private ReportHtml() {}

  public static String render(ReportModel m) {
    Document doc = Document.createShell("");
    doc.outputSettings().charset("UTF-8").prettyPrint(true).indentAmount(1);
    doc.head().appendElement("meta").attr("charset", "utf-8");
    doc.head()
        .appendElement("meta")
        .attr("name", "viewport")
        .attr("content", "width=device-width, initial-scale=1");
    doc.title("sparkgpt run report");
    doc.head().appendElement("style").appendChild(new DataNode(HtmlParts.CSS));
    Element main = doc.body().appendElement("main");
    main.appendElement("h1").text("sparkgpt run report");
    main.appendElement("p")
        .addClass("meta")
        .text("Generated " + TIME.format(m.created()) + " by sparkgpt " + Versions.PROJECT);
    Element nav = main.appendElement("nav");
    if (m.preprocess() != null)
      nav.appendElement("a").attr("href", "#preprocess").text("Preprocessing");
    if (m.pretrain() != null) nav.appendElement("a").attr("href", "#pretrain").text("Pretraining");
    if (m.samples() != null) nav.appendElement("a").attr("href", "#samples").text("Samples");
    if (!m.tasks().isEmpty()) nav.appendElement("a").attr("href", "#tasks").text("Task metrics");
    if (!m.lineage().isEmpty()) nav.appendElement("a").attr("href", "#lineage").text("Lineage");

    if (m.preprocess() != null)
      PreprocessHtml.preprocess(section(main, "preprocess", "Preprocessing"), m.preprocess());
    if (m.pretrain() != null) pretrain(section(main, "pretrain", "Pretraining"), m.pretrain());
    if (m.samples() != null) samples(section(main, "samples", "Generated samples"), m.samples());
    if (!m.tasks().isEmpty()) TaskRunsHtml.tasks(section(main, "tasks", "Task metrics"), m.tasks());
    if (!m.lineage().isEmpty())
      TaskRunsHtml.lineage(section(main, "lineage", "Lineage"), m.lineage());
    return "<!DOCTYPE html>\n" + doc.outerHtml() + "\n";
  }

  // ---- sections
  // ------------------------------------------------------------------------------------------------

  private static void pretrain(Element s, Pretrain p) {
    source(
        s,
        p.dir().toString(),
        p.complete() ? "complete (_SUCCESS)" : "in progress or stopped (no _SUCCESS)");
    Element tiles = tiles(s);
    tile(tiles, "parameters", p.parameters() == null ? NONE : count(p.parameters()));
    tile(tiles, "steps", count(p.steps()));
    tile(tiles, "tokens seen", count(p.tokensSeen()));
    tile(tiles, "final val loss", fixed(p.finalValLoss(), 4));
    tile(tiles, "final val perplexity", fixed(p.finalValPerplexity(), 2));

    if (p.lossPng() != null || p.perplexityPng() != null) {
      Element plots = s.appendElement("div").addClass("plots");
      if (p.lossPng() != null) figure(plots, p.lossPng(), "Training and validation loss");
      if (p.perplexityPng() != null) figure(plots, p.perplexityPng(), "Validation perplexity");
    }

    s.appendElement("h3").text("Settings and results");
    Table kv = new Table(s).text("setting").num("value");
    kv.table.addClass("kv");
    kv.row("model preset", p.preset() == null ? NONE : p.preset());
    if (p.layers() != null) {
      kv.row(
          "layers \u00d7 d_model, heads",
          p.layers() + " \u00d7 " + count(p.dModel()) + ", " + p.heads());
      kv.row("context length", count(p.contextLength()));
      kv.row("vocabulary", count(p.vocabSize()));
    }
    kv.row("parameters", p.parameters() == null ? NONE : count(p.parameters()));
    kv.row(
        "batch size (sequences per worker per step)",
        p.batchSize() == null ? NONE : count(p.batchSize()));
    kv.row(
        "peak learning rate", p.learningRate() == null ? NONE : String.valueOf(p.learningRate()));
    kv.row(
        "averaging frequency (steps)",
        p.averagingFrequency() == null ? NONE : count(p.averagingFrequency()));
    kv.row("steps", count(p.steps()));
    kv.row("tokens seen", count(p.tokensSeen()));
    kv.row("final train loss", fixed(p.finalTrainLoss(), 4));
    kv.row(
        "final validation loss" + (p.valStep() == null ? "" : " (step " + count(p.valStep()) + ")"),
        fixed(p.finalValLoss(), 4));
    kv.row("final validation perplexity", fixed(p.finalValPerplexity(), 2));
    kv.row("training time (s)", fixed(p.elapsedSeconds(), 0));
    kv.row("throughput (tokens/s)", fixed(p.tokensPerSecond(), 0));
    kv.row(
        "newest checkpoint",
        p.checkpoint() == null ? NONE : p.checkpoint().getFileName().toString());
  }

  private static void samples(Element s, Samples sm) {
    source(
        s,
        sm.checkpoint().toString(),
        String.format(
            Locale.ROOT,
            "up to %d new tokens, temperature %s, top-k %d, top-p %s, seed %d + sample index",
            sm.maxNewTokens(),
            plain(sm.temperature()),
            sm.topK(),
            plain(sm.topP()),
            sm.seed()));
    int i = 1;
    for (Sample x : sm.items()) {
      Element div = s.appendElement("div").addClass("sample");
      div.appendElement("div").addClass("meta").text("sample " + i++ + ", seed " + x.seed());
      // <pre>: the page is pretty-printed, and only preformatted elements keep a sample's line
      // breaks.
      Element text = div.appendElement("pre").addClass("text");
      text.appendElement("span").addClass("prompt").text(x.prompt());
      text.appendElement("span").addClass("generated").text(x.completion());
    }
  }
}
