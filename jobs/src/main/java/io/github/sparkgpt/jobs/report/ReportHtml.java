package io.github.sparkgpt.jobs.report;

import static io.github.sparkgpt.jobs.report.HtmlParts.NONE;
import static io.github.sparkgpt.jobs.report.HtmlParts.count;
import static io.github.sparkgpt.jobs.report.HtmlParts.figure;
import static io.github.sparkgpt.jobs.report.HtmlParts.fixed;
import static io.github.sparkgpt.jobs.report.HtmlParts.plain;
import static io.github.sparkgpt.jobs.report.HtmlParts.section;
import static io.github.sparkgpt.jobs.report.HtmlParts.signed;
import static io.github.sparkgpt.jobs.report.HtmlParts.source;
import static io.github.sparkgpt.jobs.report.HtmlParts.tile;
import static io.github.sparkgpt.jobs.report.HtmlParts.tiles;

import io.github.sparkgpt.jobs.Versions;
import io.github.sparkgpt.jobs.report.HtmlParts.Table;
import io.github.sparkgpt.jobs.report.ReportModel.Preprocess;
import io.github.sparkgpt.jobs.report.ReportModel.Pretrain;
import io.github.sparkgpt.jobs.report.ReportModel.Sample;
import io.github.sparkgpt.jobs.report.ReportModel.Samples;
import io.github.sparkgpt.jobs.report.ReportModel.Split;
import io.github.sparkgpt.jobs.report.ReportModel.Stage;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
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
      preprocess(section(main, "preprocess", "Preprocessing"), m.preprocess());
    if (m.pretrain() != null) pretrain(section(main, "pretrain", "Pretraining"), m.pretrain());
    if (m.samples() != null) samples(section(main, "samples", "Generated samples"), m.samples());
    if (!m.tasks().isEmpty()) TaskRunsHtml.tasks(section(main, "tasks", "Task metrics"), m.tasks());
    if (!m.lineage().isEmpty())
      TaskRunsHtml.lineage(section(main, "lineage", "Lineage"), m.lineage());
    return "<!DOCTYPE html>\n" + doc.outerHtml() + "\n";
  }

  // ---- sections
  // ------------------------------------------------------------------------------------------------

  private static void preprocess(Element s, Preprocess p) {
    source(
        s,
        p.dir().toString(),
        p.inputs().isEmpty() ? null : "inputs: " + String.join(", ", p.inputs()));
    long clusters = p.clusterSizes().values().stream().mapToLong(Long::longValue).sum();
    Element tiles = tiles(s);
    tile(tiles, "documents in", count(p.docsIn()));
    tile(tiles, "documents kept", count(p.docsOut()));
    tile(tiles, "input MB", fixed(p.inputBytes() >= 0 ? p.inputBytes() / 1e6 : null, 1));
    for (Split sp : p.splits()) tile(tiles, sp.name() + " tokens", count(sp.packedTokens()));
    tile(tiles, "near-duplicate clusters", count(clusters));
    tile(tiles, "seconds elapsed", fixed(p.elapsedSeconds(), 1));

    s.appendElement("h3").text("Documents and bytes per stage");
    Table stages =
        new Table(s)
            .text("stage")
            .num("docs in")
            .num("docs out")
            .num("dropped")
            .num("bytes in")
            .num("bytes out")
            .num("bytes change");
    for (Stage st : p.stages()) {
      stages.row(
          st.name(),
          count(st.docsIn()),
          count(st.docsOut()),
          count(st.droppedTotal()),
          count(st.bytesIn()),
          count(st.bytesOut()),
          signed(st.bytesOut() - st.bytesIn()));
    }

    s.appendElement("h3").text("Drops per reason");
    List<String[]> drops = new ArrayList<>();
    for (Stage st : p.stages()) {
      st.dropped().entrySet().stream()
          .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
          .forEach(e -> drops.add(new String[] {st.name(), e.getKey(), count(e.getValue())}));
    }
    if (drops.isEmpty()) {
      s.appendElement("p").addClass("note").text("No document was dropped.");
    } else {
      Table t = new Table(s).text("stage").text("reason").num("documents");
      drops.forEach(r -> t.row(r));
    }

    lineRemovals(s, p);
    tokensAndClusters(s, p);
  }

  /** Tokens per split, near-duplicate clusters and (folded) the stages' own counters. */
  private static void tokensAndClusters(Element s, Preprocess p) {
    s.appendElement("h3").text("Tokens and sequences");
    Table tokens =
        new Table(s)
            .text("split")
            .num("documents")
            .num("document tokens")
            .num("packed tokens")
            .num("sequences")
            .num("tokens dropped")
            .num("shards")
            .num("shard bytes");
    for (Split sp : p.splits()) {
      tokens.row(
          sp.name(),
          count(sp.documents()),
          count(sp.documentTokens()),
          count(sp.packedTokens()),
          count(sp.sequences()),
          count(sp.tokensDropped()),
          count(sp.shards()),
          count(sp.shardBytes()));
    }
    List<String> notes = new ArrayList<>();
    if (p.contextLength() != null) notes.add("context length " + count(p.contextLength()));
    if (p.vocabSize() != null) notes.add("vocabulary " + count(p.vocabSize()) + " tokens");
    if (p.tokenizerSha256() != null)
      notes.add(
          "tokenizer sha256 "
              + p.tokenizerSha256().substring(0, Math.min(12, p.tokenizerSha256().length())));
    if (!notes.isEmpty()) s.appendElement("p").addClass("note").text(String.join("; ", notes));

    s.appendElement("h3").text("Near-duplicate clusters");
    if (p.clusterSizes().isEmpty()) {
      s.appendElement("p").addClass("note").text("No near-duplicate clusters found.");
    } else {
      Table t =
          new Table(s).num("cluster size (documents)").num("clusters").num("documents removed");
      p.clusterSizes().forEach((size, n) -> t.row(count(size), count(n), count((size - 1) * n)));
    }

    boolean anyCounters = p.stages().stream().anyMatch(st -> !st.counters().isEmpty());
    if (anyCounters) {
      Element d = s.appendElement("details");
      d.appendElement("summary").text("Stage counters");
      Table t = new Table(d).text("stage").text("counter").num("value");
      for (Stage st : p.stages()) st.counters().forEach((k, v) -> t.row(st.name(), k, count(v)));
    }
  }

  /**
   * Infix of the counters of bytes a rule removed from documents (see the pipeline's
   * StageCounters).
   */
  private static final String REMOVED_BYTES = "_removed_bytes_";

  /**
   * Lines and bytes removed per rule, and documents flagged for losing most of their bytes; only
   * when any.
   */
  private static void lineRemovals(Element s, Preprocess p) {
    List<String[]> rows = new ArrayList<>();
    List<String> flagged = new ArrayList<>();
    for (Stage st : p.stages()) {
      st.counters().entrySet().stream()
          .filter(e -> e.getKey().contains(REMOVED_BYTES))
          .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
          .forEach(
              e -> {
                Long lines = st.counters().get(e.getKey().replace(REMOVED_BYTES, "_removed_line_"));
                rows.add(
                    new String[] {
                      st.name(),
                      e.getKey().replace(REMOVED_BYTES, "_"),
                      lines == null ? NONE : count(lines),
                      count(e.getValue())
                    });
              });
      Long n = st.counters().get("documents_flagged_removed_share");
      if (n != null && n > 0) flagged.add(st.name() + ": " + count(n));
    }
    if (rows.isEmpty() && flagged.isEmpty()) return;
    s.appendElement("h3").text("Lines removed per rule");
    Table t = new Table(s).text("stage").text("rule").num("lines").num("bytes");
    rows.forEach(t::row);
    if (!flagged.isEmpty()) {
      s.appendElement("p")
          .addClass("note")
          .text(
              "Kept documents that lost more than the flag share of their bytes "
                  + "(summary.txt and stats.json name them): "
                  + String.join(", ", flagged));
    }
  }

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
