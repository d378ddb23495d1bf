package io.github.sparkgpt.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.RejectedDocument;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run-directory conventions of the task jobs ({@code <output>/<run-id>/} with {@code _SUCCESS} written last):
 * a complete run is skipped, a partial one is removed and redone; rejected rows and predictions are JSON lines.
 * Shared by the finetune job and the few-shot command.
 */
public final class TaskRunFiles {
  public static final String SUCCESS = "_SUCCESS";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskRunFiles() {}

  /** The run directory for a --run-id ({@code {date}} expanded to today's UTC date), refusing unsafe names. */
  public static Path runDirectory(Path output, String runId) {
    String id = expandRunId(runId, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    if (!id.matches("[A-Za-z0-9._-]+")) throw new UsageException("--run-id '" + id + "': use letters, digits, . _ -");
    return output.resolve(id);
  }

  /** {@code {date}} in a run id becomes the given date, so a daily schedule gets one idempotent run per day. */
  static String expandRunId(String runId, java.time.LocalDate date) {
    return runId.replace("{date}", date.toString());
  }

  public static boolean isComplete(Path run) {
    return Files.isRegularFile(run.resolve(SUCCESS));
  }

  /** True (and says so on stdout) when the run already completed: a rerun of the same run id does nothing. */
  public static boolean skipIfComplete(String job, Path run) {
    if (!isComplete(run)) return false;
    System.out.println(job + ": run " + run.getFileName() + " is already complete in " + run + "; nothing to do (delete it to redo)");
    return true;
  }

  /** Removes what a killed or failed run left behind (announced on stdout) and creates the directory empty. */
  public static void startFresh(String job, Path run) throws IOException {
    if (Files.exists(run)) {
      System.out.println(job + ": removing the incomplete run " + run + " and starting it again");
      try (Stream<Path> s = Files.walk(run)) {
        for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
      }
    }
    Files.createDirectories(run);
  }

  public static void markComplete(Path run) throws IOException {
    Files.writeString(run.resolve(SUCCESS), "");
  }

  /** One row of rejected.jsonl: split, id, reason, detail, text. */
  public static Map<String, Object> rejectedRow(String split, RejectedDocument d) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("split", split);
    row.put("id", d.id());
    row.put("reason", d.reason());
    row.put("detail", d.detail());
    row.put("text", d.text());
    return row;
  }

  public static void writeJsonLines(Path file, List<? extends Map<String, ?>> rows) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      for (Map<String, ?> r : rows) {
        w.write(JSON.writeValueAsString(r));
        w.newLine();
      }
    }
  }

  public static void writeJson(Path file, Object value) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
  }
}
