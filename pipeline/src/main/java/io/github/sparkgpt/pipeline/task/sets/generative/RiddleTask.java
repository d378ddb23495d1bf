package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Riddle question -> answer from the {@code riddles} fortune file of Debian's {@code fortunes-min}:
 * fortunes are separated by lines holding only {@code %}; a line starting {@code Q:} opens a
 * question, {@code A:} its answer, indented lines continue either. A fortune may hold several pairs
 * (they share a split key); one without a Q:/A: pair (knock-knock jokes, dialogues) or a question
 * without an answer is quarantined.
 */
public final class RiddleTask extends GenerativeSetBuilder {
  public static final String NAME = "fortune-riddles";
  public static final String PACKAGE = "fortunes-min";
  public static final String FILE = "riddles";

  public RiddleTask(Path dir) {
    super(NAME, "riddle", dir);
  }

  @Override
  protected TaskSet build(Rows rows) {
    Path f = file(FILE);
    List<String> fortunes = fortunes(read(f));
    for (int i = 0; i < fortunes.size(); i++) {
      String key = "riddles-" + (i + 1);
      List<String[]> pairs = pairs(fortunes.get(i));
      if (pairs.isEmpty()) rows.reject(key, FILE, "no_question", null, fortunes.get(i));
      for (int j = 0; j < pairs.size(); j++) {
        String id = pairs.size() == 1 ? key : key + "-" + (j + 1);
        rows.add(id, key, FILE, pairs.get(j)[0], pairs.get(j)[1], Map.of());
      }
    }
    return rows.set(
        "Debian package " + packageVersion(PACKAGE) + " (fortunes/riddles)",
        "BSD (fortune-mod; Debian copyright of fortunes-min)",
        "one row per Q:/A: pair of a fortune (" + fortunes.size() + " fortunes)");
  }

  static List<String> fortunes(String file) {
    List<String> out = new ArrayList<>();
    for (String f : file.split("(?m)^%\\s*$")) if (!f.isBlank()) out.add(f.strip());
    return out;
  }

  /**
   * [question, answer] pairs, in either order ("FORTUNE PROVIDES QUESTIONS FOR THE GREAT ANSWERS"
   * gives the answer first); a missing half is "".
   */
  static List<String[]> pairs(String fortune) {
    List<String[]> out = new ArrayList<>();
    String[] open = null;
    int part = -1;
    for (String line : fortune.lines().toList()) {
      boolean q = line.startsWith("Q:");
      if (q || line.startsWith("A:")) {
        part = q ? 0 : 1;
        if (open == null || !open[part].isEmpty()) {
          open = new String[] {"", ""};
          out.add(open);
        }
        open[part] = line.substring(2).strip();
      } else if (open != null && !line.isBlank() && Character.isWhitespace(line.charAt(0))) {
        open[part] = (open[part] + " " + line.strip()).strip();
      } else {
        open = null;
      }
    }
    return out;
  }
}
