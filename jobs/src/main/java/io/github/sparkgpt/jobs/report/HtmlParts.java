package io.github.sparkgpt.jobs.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Element;

/**
 * The report page's building blocks: sections, tiles, figures, tables and how numbers are written.
 */
final class HtmlParts {
  static final String NONE = "\u2014"; // an em dash for values the artefacts do not record

  private HtmlParts() {}

  static Element section(Element main, String id, String title) {
    Element s = main.appendElement("section").id(id);
    s.appendElement("h2").text(title);
    return s;
  }

  static void source(Element s, String path, String note) {
    Element p = s.appendElement("p").addClass("meta");
    p.appendElement("span").addClass("path").text(path);
    if (note != null) p.appendText(" \u00b7 " + note);
  }

  static Element tiles(Element s) {
    return s.appendElement("div").addClass("tiles");
  }

  static void tile(Element tiles, String label, String value) {
    Element t = tiles.appendElement("div").addClass("tile");
    t.appendElement("div").addClass("v").text(value);
    t.appendElement("div").addClass("k").text(label);
  }

  static void figure(Element parent, byte[] png, String caption) {
    Element f = parent.appendElement("figure");
    f.appendElement("img")
        .attr("src", "data:image/png;base64," + Base64.getEncoder().encodeToString(png))
        .attr("alt", caption);
  }

  /** A table whose numeric columns are right-aligned; cells are text (escaped by jsoup). */
  static final class Table {
    final Element table;
    private final Element head;
    private final Element body;
    private final List<Boolean> numeric = new ArrayList<>();

    Table(Element parent) {
      table = parent.appendElement("div").addClass("table-wrap").appendElement("table");
      head = table.appendElement("thead").appendElement("tr");
      body = table.appendElement("tbody");
    }

    Table text(String header) {
      return column(header, false);
    }

    Table num(String header) {
      return column(header, true);
    }

    private Table column(String header, boolean isNumeric) {
      Element th = head.appendElement("th").text(header);
      if (isNumeric) th.addClass("n");
      numeric.add(isNumeric);
      return this;
    }

    Element row(String... cells) {
      return rowFrom(0, List.of(cells));
    }

    /**
     * A row whose first cell is in column {@code first} (the columns before it are spanned from a
     * row above).
     */
    Element rowFrom(int first, List<String> cells) {
      Element tr = body.appendElement("tr");
      for (int i = 0; i < cells.size(); i++) {
        Element td = tr.appendElement("td").text(cells.get(i) == null ? NONE : cells.get(i));
        if (first + i < numeric.size() && numeric.get(first + i)) td.addClass("n");
      }
      return tr;
    }
  }

  static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** A change: +1,234, -1,234 or 0. */
  static String signed(long v) {
    return v == 0 ? "0" : String.format(Locale.ROOT, "%+,d", v);
  }

  static String fixed(Double v, int decimals) {
    if (v == null) return NONE;
    if (v.isNaN() || v.isInfinite()) return "n/a";
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  static String plain(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  static String orNone(String s) {
    return s == null ? NONE : s;
  }

  /** The page's style sheet, inline: the report is one self-contained file. */
  static final String CSS =
      """
      :root { --border: #d0d7de; --muted: #57606a; --soft: #f6f8fa; }
      body { margin: 0; color: #1f2328; background: #fff;
        font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
      main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
      h1 { font-size: 26px; margin: 0 0 2px; }
      h2 { font-size: 20px; margin: 34px 0 8px; padding-bottom: 6px; border-bottom: 2px solid var(--border); }
      h3 { font-size: 15px; margin: 22px 0 6px; }
      h4 { font-size: 14px; margin: 14px 0 4px; }
      .meta, .note { color: var(--muted); font-size: 13px; }
      .path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
      nav { margin: 8px 0 0; } nav a { margin-right: 18px; color: #0969da; text-decoration: none; }
      .tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 4px; }
      .tile { border: 1px solid var(--border); border-radius: 6px; padding: 8px 14px; min-width: 120px; background: var(--soft); }
      .tile .v { font-size: 19px; font-weight: 600; font-variant-numeric: tabular-nums; }
      .tile .k { font-size: 12px; color: var(--muted); }
      .table-wrap { overflow-x: auto; margin: 6px 0; }
      table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
      th, td { padding: 4px 12px; border-bottom: 1px solid #e5e8eb; text-align: left; white-space: nowrap; vertical-align: top; }
      thead th { background: var(--soft); border-bottom: 2px solid var(--border); font-weight: 600; }
      th.n, td.n { text-align: right; }
      table.kv td:first-child { color: var(--muted); }
      tr.run-start td { border-top: 1px solid var(--border); }
      td.diag { background: #dafbe1; font-weight: 600; }
      .plots { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin: 14px 0; }
      figure { margin: 0; } figure img { width: 100%; height: auto; border: 1px solid #e5e8eb; display: block; }
      .sample { border-left: 3px solid #0969da; background: var(--soft); padding: 6px 12px; margin: 10px 0; }
      .sample .text { margin: 2px 0; font: inherit; white-space: pre-wrap; overflow-wrap: anywhere; }
      .sample .prompt { font-weight: 600; }
      details { margin: 10px 0; border: 1px solid var(--border); border-radius: 6px; padding: 6px 12px; }
      summary { cursor: pointer; font-weight: 600; }
      @media (max-width: 900px) { .plots { grid-template-columns: 1fr; } main { padding: 16px; } }
      .split { display: inline-block; vertical-align: top; margin-right: 36px; max-width: 100%; }
      """;
}
