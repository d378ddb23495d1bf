package io.github.sparkgpt.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.task.sets.TaskSetWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The table prepare-tasks prints on stdout: one row per task set with its split sizes, quarantined
 * rows and labels, for a set just built or one an earlier run completed.
 */
final class TaskSetTable {
  private TaskSetTable() {}

  static void printHeader() {
    System.out.printf(
        Locale.ROOT,
        "%-36s %7s %10s %6s %11s  %s%n",
        "task",
        "train",
        "validation",
        "test",
        "quarantined",
        "labels");
  }

  /** The row of a set this run built. */
  static void printBuilt(String name, TaskSetWriter.Summary s) {
    System.out.printf(
        Locale.ROOT,
        "%-36s %7d %10d %6d %11d  %s%n",
        name,
        s.splitCounts().get("train"),
        s.splitCounts().get("validation"),
        s.splitCounts().get("test"),
        s.quarantined(),
        labels(s.labels()));
  }

  /** The row of a set built by an earlier run, from its info.json. */
  static void printExisting(String out, String name, Configuration conf) throws IOException {
    Path file = new Path(TaskSetWriter.directory(out, name), TaskSetWriter.INFO);
    JsonNode info;
    try (InputStream in = file.getFileSystem(conf).open(file)) {
      info = new ObjectMapper().readTree(in);
    }
    JsonNode c = info.path("counts");
    List<String> labels = new ArrayList<>();
    info.path("labels").forEach(l -> labels.add(l.asText()));
    System.out.printf(
        Locale.ROOT,
        "%-36s %7d %10d %6d %11d  %s (complete, skipped)%n",
        name,
        c.path("train").path("total").asInt(),
        c.path("validation").path("total").asInt(),
        c.path("test").path("total").asInt(),
        info.path("quarantined").path("total").asInt(),
        labels(labels));
  }

  /** Up to four labels in full; more as their count and the first three. */
  private static String labels(List<String> labels) {
    return labels.size() <= 4
        ? String.join(", ", labels)
        : labels.size() + " (" + String.join(", ", labels.subList(0, 3)) + ", ...)";
  }
}
