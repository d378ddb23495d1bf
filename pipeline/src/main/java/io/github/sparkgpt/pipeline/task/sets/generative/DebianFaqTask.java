package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian FAQ question -> answer from Debian's {@code debian-faq} ({@code debian-faq.en.txt.gz}): a
 * numbered section heading at column 0 ({@code 1.2. What is Debian GNU/Linux?}, possibly wrapped)
 * is a question when it has a '?'; the response is the first paragraph of its indented body.
 * Headings that are not questions, and first paragraphs that end with ':' (they introduce a command
 * or list the answer needs), are quarantined.
 */
public final class DebianFaqTask extends GenerativeSetBuilder {
  public static final String NAME = "debian-faq";
  public static final String PACKAGE = "debian-faq";
  public static final String FILE = "debian-faq.en.txt.gz";
  private static final Pattern HEADING =
      Pattern.compile("^(\\d+(?:\\.\\d+)+)\\.\\s+(.*)$", Pattern.DOTALL);

  public DebianFaqTask(Path dir) {
    super(NAME, "debfaq", dir);
  }

  @Override
  protected TaskSet build(Rows rows) {
    Path f = file(FILE);
    for (String[] s : sections(read(f))) {
      String id = "debian-faq-" + s[0];
      if (!s[1].contains("?")) rows.reject(id, FILE, "not_a_question", null, s[1]);
      else if (s[2].endsWith(":")) rows.reject(id, FILE, "answer_continues", null, s[2]);
      else rows.add(id, id, FILE, s[1], s[2], Map.of("section", s[0]));
    }
    return rows.set(
        "Debian package " + packageVersion(PACKAGE) + " (" + FILE + ")",
        "verbatim and modified copies allowed under an identical notice (Software in the Public"
            + " Interest, debian-faq copyright)",
        "one row per numbered section whose heading is a question; the response is the first"
            + " paragraph of the section, unless it ends with ':'");
  }

  /** [number, heading, first paragraph] per numbered section heading at column 0. */
  static List<String[]> sections(String text) {
    List<String[]> out = new ArrayList<>();
    String[] open = null;
    // The text indents with no-break spaces as often as with spaces.
    for (String para : text.replace('\u00a0', ' ').split("\\n[ \\t]*\\n")) {
      String p = para.replaceAll("^\\n+", "");
      Matcher m = HEADING.matcher(p);
      if (m.matches()) {
        open = new String[] {m.group(1), Text.collapse(m.group(2)), ""};
        out.add(open);
      } else if (open != null && open[2].isEmpty() && !p.isBlank()) {
        if (Character.isWhitespace(p.charAt(0))) open[2] = Text.collapse(p);
        else open = null; // a chapter heading or other column-0 text ends the section
      }
    }
    return out;
  }
}
