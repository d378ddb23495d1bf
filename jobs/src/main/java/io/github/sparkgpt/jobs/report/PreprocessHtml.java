package io.github.sparkgpt.jobs.report;

import static io.github.sparkgpt.jobs.report.HtmlParts.NONE;
import static io.github.sparkgpt.jobs.report.HtmlParts.count;
import static io.github.sparkgpt.jobs.report.HtmlParts.fixed;
import static io.github.sparkgpt.jobs.report.HtmlParts.signed;
import static io.github.sparkgpt.jobs.report.HtmlParts.source;
import static io.github.sparkgpt.jobs.report.HtmlParts.tile;
import static io.github.sparkgpt.jobs.report.HtmlParts.tiles;

import io.github.sparkgpt.jobs.report.HtmlParts.Table;
import io.github.sparkgpt.jobs.report.ReportModel.Preprocess;
import io.github.sparkgpt.jobs.report.ReportModel.Split;
import io.github.sparkgpt.jobs.report.ReportModel.Stage;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Element;

/**
 * The report's preprocessing section: documents, bytes and drops per stage, lines removed per rule,
 * tokens per split and near-duplicate clusters.
 */
final class PreprocessHtml {
  private PreprocessHtml() {}

  static void preprocess(Element s, Preprocess p) {
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
}
