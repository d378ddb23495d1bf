package io.github.sparkgpt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.metrics.AnswerMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a prepared prompt -> response file ({@code id}, {@code prompt}, {@code response} as a
 * string or a JSON array of accepted answers), capped to the first rows, and the mean exact match
 * and token F1 of answers against them, scored as the sft job scores.
 */
final class AnswerRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Row(String prompt, List<String> answers) {}

  record Score(double exactMatch, double tokenF1) {}

  private AnswerRows() {}

  /**
   * Copies the first {@code max} lines of {@code from} to {@code to} (the prepared files are in
   * seeded hash order, so a prefix is a random sample) and returns their rows.
   */
  static List<Row> cap(Path from, Path to, int max) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(from, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null && lines.size() < max; line = r.readLine()) {
        if (!line.isBlank()) lines.add(line);
      }
    }
    Files.createDirectories(to.getParent());
    try (Writer w = Files.newBufferedWriter(to, StandardCharsets.UTF_8)) {
      for (String line : lines) w.write(line + "\n");
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines) rows.add(parse(line));
    return rows;
  }

  static Row parse(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    JsonNode response = n.path("response");
    List<String> answers = new ArrayList<>();
    if (response.isArray()) response.forEach(a -> answers.add(a.asText()));
    else answers.add(response.asText());
    return new Row(n.path("prompt").asText(), answers);
  }

  /** Mean exact match and token F1 of {@code generated} (one per row, same order). */
  static Score score(List<String> generated, List<Row> rows) {
    if (generated.size() != rows.size())
      throw new IllegalArgumentException(
          generated.size() + " answers for " + rows.size() + " rows");
    double em = 0, f1 = 0;
    for (int i = 0; i < rows.size(); i++) {
      em += AnswerMetrics.exactMatch(generated.get(i), rows.get(i).answers());
      f1 += AnswerMetrics.tokenF1(generated.get(i), rows.get(i).answers());
    }
    return new Score(em / rows.size(), f1 / rows.size());
  }
}
