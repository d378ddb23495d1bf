package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Acronym -> expansion from Debian's {@code dict-vera} (V.E.R.A.): prompt {@code What does ACRONYM
 * stand for?}, response the expansion without V.E.R.A.'s trailing parenthesised topics, which go to
 * the {@code topics} column.
 */
public final class AcronymTask extends GenerativeSetBuilder {
  public static final String NAME = "vera-acronyms";
  public static final String PACKAGE = "dict-vera";

  public AcronymTask(Path dir) {
    super(NAME, "vera", dir);
  }

  @Override
  protected TaskSet build(Rows rows) {
    DictdFile d = DictdFile.read(dir, "vera");
    for (DictdFile.Bad b : d.bad)
      rows.reject("vera-" + b.line(), "vera.index", b.reason(), null, b.text());
    for (DictdFile.Entry e : d.entries) {
      List<String> lines = e.text().strip().lines().toList();
      String acronym = lines.isEmpty() ? "" : lines.get(0).strip();
      String body =
          Text.collapse(String.join(" ", lines.subList(Math.min(1, lines.size()), lines.size())));
      int paren = body.indexOf(" (");
      String expansion = paren < 0 ? body : body.substring(0, paren).strip();
      String topics = paren < 0 ? "" : body.substring(paren + 1).strip();
      if (!acronym.equalsIgnoreCase(e.headword())) {
        rows.reject("vera-" + e.line(), "vera.index", "headword_mismatch", e.headword(), e.text());
        continue;
      }
      rows.add(
          "vera-" + e.line(),
          e.key(),
          "vera.index",
          "What does " + acronym + " stand for?",
          expansion,
          Map.of("topics", topics));
    }
    return rows.set(
        "Debian package " + packageVersion(PACKAGE) + " (vera.index, vera.dict.dz)",
        "GNU FDL 1.1 or later, no invariant sections (Debian copyright: GFDL-NIV-1.1+)",
        "one row per index entry ("
            + d.databaseEntries
            + " dictd 00-database entries left out); the response is the expansion before the"
            + " first parenthesis, the parenthesised topics are the topics column");
  }
}
