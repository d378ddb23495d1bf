package io.github.sparkgpt.jobs.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports name the directories they were made from; when those were local copies of cluster
 * directories (or a local staging directory), the report should name the cluster location instead.
 * Collects local -> shown pairs and rewrites a written report file accordingly.
 */
public final class ShownPaths {
  private final Map<String, String> shown = new LinkedHashMap<>();

  /** Records that {@code local} stands for {@code where}; a local location needs nothing. */
  public ShownPaths add(Path local, StoragePath where) {
    if (local != null && where != null && !where.isLocal())
      shown.put(local.toString(), where.toString());
    return this;
  }

  /** {@code text} with the local paths replaced by what they stand for (longest first). */
  public String rewrite(String text) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>(shown.entrySet());
    pairs.sort((a, b) -> b.getKey().length() - a.getKey().length());
    for (Map.Entry<String, String> e : pairs) text = text.replace(e.getKey(), e.getValue());
    return text;
  }

  /** Rewrites the file {@code file} (see {@link #rewrite(String)}); a failure only warns. */
  public void rewrite(Path file) {
    if (shown.isEmpty() || !Files.isRegularFile(file)) return;
    try {
      String text = rewrite(Files.readString(file, StandardCharsets.UTF_8));
      Path tmp = file.resolveSibling("." + file.getFileName() + ".paths");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      System.err.println(
          "report: "
              + file
              + " names local copies instead of their cluster paths ("
              + e.getMessage()
              + ")");
    }
  }
}
