package io.github.sparkgpt.jobs.metrics;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * metrics.json on disk: {@link RunMetrics} written pretty-printed, and read back (older layouts
 * through {@link LegacyMetrics}).
 */
public final class RunMetricsJson {
  // A bare NaN token (an empty split's accuracy, written by hand or by other tools) is accepted;
  // keys this version
  // does not know are skipped, so a newer file still shows what it shares.
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RunMetricsJson() {}

  public static void write(Path file, RunMetrics metrics) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), metrics);
  }

  /**
   * Reads a run's metrics.json; {@code labelsJson} (may be absent) supplies the task of files that
   * lack it.
   */
  public static RunMetrics read(Path file, Path labelsJson) throws IOException {
    JsonNode tree = JSON.readTree(file.toFile());
    if (tree.has("schema")) return JSON.treeToValue(tree, RunMetrics.class);
    JsonNode labels =
        labelsJson != null && labelsJson.toFile().isFile()
            ? JSON.readTree(labelsJson.toFile())
            : null;
    return LegacyMetrics.adapt(tree, labels);
  }
}
