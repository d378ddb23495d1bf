package io.github.sparkgpt.jobs.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Element;

/** The report page's building blocks: sections, tiles, figures, tables and how numbers are written. */
final class HtmlParts {
  static final String NONE = "\u2014";   // an em dash for values the artefacts do not record

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
    f.appendElement("img").attr("src", "data:image/png;base64," + Base64.getEncoder().encodeToString(png))
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

    /** A row whose first cell is in column {@code first} (the columns before it are spanned from a row above). */
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
}
