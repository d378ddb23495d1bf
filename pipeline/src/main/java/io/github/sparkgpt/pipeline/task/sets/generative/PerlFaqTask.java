package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Perl FAQ question -> answer from Debian's {@code perl-doc}: each {@code =head2} of {@code
 * perlfaq1.pod} to {@code perlfaq9.pod} is a question; the response is the first prose paragraph of
 * its body (code blocks, pod commands and "(contributed by ...)" lines skipped), with pod
 * formatting codes reduced to their text.
 */
public final class PerlFaqTask extends GenerativeSetBuilder {
  public static final String NAME = "perlfaq";
  public static final String PACKAGE = "perl-doc";
  private static final Pattern DOUBLE_CODE = Pattern.compile("[A-Z]<<+\\s+(.*?)\\s+>>+");
  private static final Pattern CODE = Pattern.compile("([A-Z])<([^<>]*)>");

  public PerlFaqTask(Path dir) {
    super(NAME, "perlfaq", dir);
  }

  @Override
  protected TaskSet build(Rows rows) {
    int files = 0;
    for (int n = 1; n <= 9; n++) {
      Path f = dir.resolve("perlfaq" + n + ".pod");
      if (!Files.isRegularFile(f)) continue;
      files++;
      List<String[]> qa = questions(read(f));
      for (int i = 0; i < qa.size(); i++) {
        String id = "perlfaq" + n + "-" + (i + 1);
        String src = f.getFileName().toString();
        if (qa.get(i)[1].endsWith(":"))
          rows.reject(id, src, "answer_continues", null, qa.get(i)[1]);
        else rows.add(id, id, src, qa.get(i)[0], qa.get(i)[1], Map.of());
      }
    }
    if (files == 0) throw new IllegalArgumentException(NAME + ": no perlfaqN.pod in " + dir);
    return rows.set(
        "Debian package " + packageVersion(PACKAGE) + " (perlfaq1.pod to perlfaq9.pod)",
        "GPL-1+ or Artistic (Perl's own terms)",
        "one row per =head2 question; the response is the first prose paragraph of the answer,"
            + " unless it ends with ':'");
  }

  /** [question, first paragraph] per {@code =head2}; the paragraph is "" when there is none. */
  static List<String[]> questions(String pod) {
    List<String[]> out = new ArrayList<>();
    String question = null;
    String answer = null;
    for (String para : pod.split("\\n\\s*\\n")) {
      if (para.startsWith("=head2 ")) {
        if (question != null) out.add(new String[] {question, answer == null ? "" : answer});
        question = plain(para.substring(7));
        answer = null;
      } else if (para.startsWith("=head") || para.startsWith("=cut")) {
        if (question != null) out.add(new String[] {question, answer == null ? "" : answer});
        question = null;
      } else if (question != null && answer == null && prose(para)) {
        answer = plain(para);
      }
    }
    if (question != null) out.add(new String[] {question, answer == null ? "" : answer});
    return out;
  }

  private static boolean prose(String para) {
    return !para.isBlank()
        && !para.startsWith("=")
        && !Character.isWhitespace(para.charAt(0))
        && !para.strip().matches("(?s)\\(contributed by .*\\)");
  }

  /** Pod text with formatting codes replaced by their text. */
  static String plain(String pod) {
    String s = DOUBLE_CODE.matcher(pod).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    for (int i = 0; i < 5; i++) {
      Matcher m = CODE.matcher(s);
      if (!m.find()) break;
      s = m.replaceAll(r -> Matcher.quoteReplacement(code(r.group(1), r.group(2))));
    }
    return Text.collapse(s);
  }

  private static String code(String kind, String body) {
    return switch (kind) {
      case "L" ->
          (body.contains("|") ? body.substring(0, body.indexOf('|')) : body).replace("\"", "");
      case "E" ->
          switch (body) {
            case "lt" -> "<";
            case "gt" -> ">";
            case "verbar" -> "|";
            case "sol" -> "/";
            default -> "";
          };
      case "Z", "X" -> ""; // zero-width and index entries
      default -> body;
    };
  }
}
