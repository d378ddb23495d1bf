package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Question -> definition from a Debian dictd dictionary (jargon, devil, foldoc): prompt {@code What
 * does "WORD" mean?}, response the first sentence of each numbered sense (a JSON array when there
 * are several), with the headword echo, part of speech, leading etymology, cross-reference braces,
 * FOLDOC's domain tags and date stamps removed. Index entries that point at the same text share a
 * split key.
 */
public final class DictionaryTask extends GenerativeSetBuilder {
  /** The three dictionaries: set name, Debian package, dictd file name, licence. */
  public enum Dictionary {
    JARGON("jargon-definitions", "dict-jargon", "jargon", "public domain (the Jargon File)"),
    DEVIL("devil-definitions", "dict-devil", "devil", "public domain (Bierce, copyright expired)"),
    FOLDOC(
        "foldoc-definitions",
        "dict-foldoc",
        "foldoc",
        "GNU FDL (Debian copyright: GFDL 1.2; cite \"The Free On-line Dictionary of Computing,"
            + " Editor Denis Howe\")");

    public final String set;
    public final String pkg;
    final String file;
    final String licence;

    Dictionary(String set, String pkg, String file, String licence) {
      this.set = set;
      this.pkg = pkg;
      this.file = file;
      this.licence = licence;
    }
  }

  private static final Pattern SENSE = Pattern.compile("(?m)^\\s*\\d+\\.\\s+");
  // Jargon's second line: pronunciations and parts of speech (" /boh·zoh'tik/, adj.", " n.,vt.").
  private static final Pattern POS_LINE = Pattern.compile("^\\s*((/[^/]+/|[a-z.]+\\.)[,\\s]*)+$");
  private static final Pattern DEVIL_HEAD = Pattern.compile("^[^,\\n]+,\\s*((?:[a-z]+\\.\\s*)+)");
  private static final Pattern DOMAIN = Pattern.compile("^<[^>]*>\\s*");
  private static final Pattern ETYMOLOGY = Pattern.compile("^\\[[^\\]]*\\]\\s*");
  private static final Pattern DATE = Pattern.compile("\\(\\d{4}-\\d{2}-\\d{2}\\)\\s*$");

  private final Dictionary dict;

  public DictionaryTask(Dictionary dict, Path dir) {
    super(dict.set, "dict", dir);
    this.dict = dict;
  }

  @Override
  protected TaskSet build(Rows rows) {
    DictdFile d = DictdFile.read(dir, dict.file);
    for (DictdFile.Bad b : d.bad)
      rows.reject(dict.file + "-" + b.line(), dict.file + ".index", b.reason(), null, b.text());
    for (DictdFile.Entry e : d.entries) {
      String word = displayed(e);
      rows.add(
          dict.file + "-" + e.line(),
          e.key(),
          dict.file + ".index",
          "What does \"" + word + "\" mean?",
          senses(e),
          Map.of());
    }
    return rows.set(
        "Debian package " + packageVersion(dict.pkg) + " (" + dict.file + ".index, .dict.dz)",
        dict.licence,
        "one row per index entry ("
            + d.databaseEntries
            + " dictd 00-database entries left out); the response is the first sentence of each"
            + " numbered sense, markup and headword echo removed",
        "dictionary",
        dict.file);
  }

  /** The headword as the entry spells it (index headwords are often lower-cased). */
  private String displayed(DictdFile.Entry e) {
    String first = e.text().strip().lines().findFirst().orElse("").strip();
    return first.equalsIgnoreCase(e.headword()) && !first.equals(first.toUpperCase())
        ? first
        : e.headword();
  }

  /** Each numbered sense's first sentence, or the whole body's when it is not numbered. */
  List<String> senses(DictdFile.Entry e) {
    String body = body(e.text());
    List<String> out = new ArrayList<>();
    for (String part : SENSE.split(body)) {
      String s = clean(part);
      if (!s.isEmpty()) out.add(Text.firstSentence(s));
    }
    return out;
  }

  private String body(String text) {
    if (dict == Dictionary.DEVIL) return DEVIL_HEAD.matcher(text.strip()).replaceFirst("");
    List<String> lines = new ArrayList<>(text.lines().toList());
    // The headword echo (and FOLDOC's aliases) sit at column 0; the definition is indented.
    while (!lines.isEmpty()
        && !lines.get(0).isEmpty()
        && !Character.isWhitespace(lines.get(0).charAt(0))) lines.remove(0);
    while (!lines.isEmpty() && (lines.get(0).isBlank() || POS_LINE.matcher(lines.get(0)).matches()))
      lines.remove(0);
    return String.join("\n", lines);
  }

  private static String clean(String part) {
    String s = Text.collapse(part.replace("{", "").replace("}", ""));
    s = DATE.matcher(s).replaceFirst("").strip();
    for (int i = 0; i < 3; i++)
      s = ETYMOLOGY.matcher(DOMAIN.matcher(s).replaceFirst("")).replaceFirst("");
    return s.strip();
  }
}
