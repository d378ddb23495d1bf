package io.github.sparkgpt.pipeline.task.sets.generative;

import io.github.sparkgpt.pipeline.task.sets.TaskSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * "What does F do?" -> the one-line description from the {@code NAME} section of each page of
 * Debian's {@code manpages-dev} ({@code man2/}, {@code man3/}, groff source, gzip'd): {@code .SH
 * NAME} then {@code name, name \- description}. F is the page's first name; all names and the
 * page's SPDX licence go to their own columns. Symbolic links and {@code .so} redirects are other
 * names of a page already read and are left out.
 */
public final class ManPageTask extends GenerativeSetBuilder {
  public static final String NAME = "manpage-descriptions";
  public static final String PACKAGE = "manpages-dev";

  public ManPageTask(Path dir) {
    super(NAME, "man", dir);
  }

  @Override
  protected TaskSet build(Rows rows) {
    int redirects = 0;
    for (Path page : pages()) {
      String src = dir.relativize(page).toString();
      String groff = read(page);
      if (groff.startsWith(".so ")) {
        redirects++;
        continue;
      }
      String id = src.replaceAll("\\.gz$", "");
      String[] nameLine = nameSection(groff);
      if (nameLine == null) {
        rows.reject(id, src, "no_name_section", null, "");
        continue;
      }
      List<String> names = List.of(nameLine[0].split("\\s*,\\s*"));
      rows.add(
          id,
          id,
          src,
          "What does " + names.get(0) + " do?",
          nameLine[1],
          ordered("names", String.join(", ", names), "licence", spdx(groff)));
    }
    return rows.set(
        "Debian package " + packageVersion(PACKAGE) + " (man2, man3)",
        "per page, in its licence column (mostly Linux-man-pages-copyleft; see the page's SPDX"
            + " line)",
        "one row per page with a NAME section ("
            + redirects
            + " .so redirect pages left out); the response is the text after \\- on the NAME"
            + " line");
  }

  private List<Path> pages() {
    List<Path> out = new ArrayList<>();
    for (String section : List.of("man2", "man3")) {
      Path d = dir.resolve(section);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> s = Files.list(d)) {
        s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            .sorted()
            .forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + d, e);
      }
    }
    if (out.isEmpty())
      throw new IllegalArgumentException(NAME + ": no man2/ or man3/ pages in " + dir);
    return out;
  }

  /** [names, description] of the NAME section, or null when there is none or no "\-". */
  static String[] nameSection(String groff) {
    StringBuilder text = new StringBuilder();
    boolean in = false;
    for (String line : groff.lines().toList()) {
      if (line.matches("^\\.SH\\s+\"?NAME\"?\\s*$")) in = true;
      else if (in && line.matches("^\\.S[HS]\\b.*")) break;
      else if (in && !line.startsWith(".\\\"")) text.append(' ').append(macroText(line));
    }
    int dash = text.indexOf("\\-");
    if (dash < 0) return null;
    return new String[] {unescape(text.substring(0, dash)), unescape(text.substring(dash + 2))};
  }

  private static String macroText(String line) {
    return line.startsWith(".") ? line.replaceFirst("^\\.\\S+\\s*", "").replace("\"", "") : line;
  }

  static String unescape(String s) {
    String t =
        s.replaceAll("\\\\f(\\[[^]]*]|\\(..|.)", "")
            .replace("\\(aq", "'")
            .replace("\\(dq", "\"")
            .replace("\\(em", "\u2014")
            .replace("\\(en", "\u2013")
            .replace("\\-", "-")
            .replaceAll("\\\\[&%]", "")
            .replaceAll("\\\\[~ ]", " ")
            .replace("\\e", "\\"); // last: the backslash it yields starts no escape
    return Text.collapse(t);
  }

  private static String spdx(String groff) {
    return groff
        .lines()
        .filter(l -> l.contains("SPDX-License-Identifier:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElse("unknown");
  }
}
