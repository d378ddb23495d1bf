package io.github.sparkgpt.pipeline.task.sets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.RejectedDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence sentiment from npm {@code sentiment@5.0.2}'s test fixtures: {@code amazon.json}, {@code
 * imdb.json}, {@code yelp.json}, each a JSON array of {@code {"text", "class": 0|1}} (0 negative, 1
 * positive). The arrays end with a placeholder element whose class is null: that one is dropped
 * (counted as {@code sentiment_no_class}, not quarantined, since it is not data). Default split
 * 2/3, 1/6, 1/6 (2,000 / 500 / 500 of the 3,000 sentences). Columns: id, text, label (negative |
 * positive), source (amazon | imdb | yelp).
 */
public final class SentimentTask extends TaskSetBuilder {
  public static final String NAME = "sentiment";
  public static final List<String> SOURCES = List.of("amazon", "imdb", "yelp");
  public static final List<String> LABELS = List.of("negative", "positive");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public SentimentTask(Path dir) {
    this.dir = dir;
    trainFraction = 2.0 / 3;
    validationFraction = 1.0 / 6;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TaskSet build() {
    List<TaskRow> rows = new ArrayList<>();
    List<RejectedDocument> quarantined = new ArrayList<>();
    int placeholders = 0;
    for (String source : SOURCES) {
      Path file = dir.resolve(source + ".json");
      if (!Files.isRegularFile(file))
        throw new IllegalArgumentException("sentiment file not found: " + file);
      JsonNode array;
      try {
        array = JSON.readTree(file.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(file + " is not JSON: " + e.getMessage(), e);
      }
      if (!array.isArray()) throw new IllegalArgumentException(file + " is not a JSON array");
      for (int i = 0; i < array.size(); i++) {
        JsonNode n = array.get(i);
        String id = source + "-" + i;
        JsonNode cls = n.get("class");
        String text = n.path("text").asText("").strip();
        if ((cls == null || cls.isNull()) && text.isEmpty()) {
          placeholders++; // the fixtures' trailing {"text": "", "class": null}
          continue;
        }
        String label =
            cls == null
                ? null
                : cls.asText().equals("0")
                    ? "negative"
                    : cls.asText().equals("1") ? "positive" : null;
        if (label == null || text.isEmpty()) {
          quarantined.add(
              new RejectedDocument(
                  id,
                  file.toString(),
                  NAME,
                  text.isEmpty() ? "sentiment_empty_text" : "sentiment_bad_class",
                  "class " + cls,
                  text));
          continue;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("text", text);
        f.put("label", label);
        f.put("source", source);
        rows.add(new TaskRow(text, label, f));
      }
    }
    Map<String, Object> info =
        info(
            "npm sentiment@5.0.2 (test/fixtures/amazon.json, imdb.json, yelp.json)",
            "every sentence with class 0 (negative) or 1 (positive); the trailing placeholder with"
                + " class null is dropped ("
                + placeholders
                + " dropped); duplicate sentences stay together in one split",
            "classification",
            List.of("text"),
            ordered());
    return new TaskSet(NAME, rows, LABELS, quarantined, info);
  }
}
