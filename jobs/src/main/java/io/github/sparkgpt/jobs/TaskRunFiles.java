package io.github.sparkgpt.jobs;

import static io.github.sparkgpt.pipeline.write.OutputDirectory.SUCCESS;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The run-directory conventions of the task jobs ({@code <output>/<run-id>/} with {@code _SUCCESS}
 * written last): a complete run is skipped, a partial one this project started is removed and
 * redone, anything else is refused; the run holds a {@link RunLease}; rejected rows and predictions
 * are JSON lines. Shared by the finetune job and the few-shot command.
 */
public final class TaskRunFiles {

  /** Written when a run starts: the only licence to remove a partial run directory later. */
  public static final String STARTED = OutputDirectory.STARTED;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskRunFiles() {}

  /**
   * A run id: a letter or digit first, then letters, digits, {@code . _ -}; so never {@code .},
   * {@code ..} or a path.
   */
  static final java.util.regex.Pattern RUN_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * The run directory for a --run-id ({@code {date}} expanded to today's UTC date): a direct child
   * of {@code output}, checked after normalising both. Anything else is a usage error.
   */
  public static Path runDirectory(Path output, String runId) {
    String id = expandRunId(runId, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    if (!RUN_ID.matcher(id).matches()) {
      throw new UsageException(
          "--run-id '" + id + "': start with a letter or digit, then letters, digits, . _ - only");
    }
    Path run = output.resolve(id);
    Path parent = output.toAbsolutePath().normalize();
    if (!parent.equals(run.toAbsolutePath().normalize().getParent())) {
      throw new UsageException(
          "--run-id '" + id + "' does not name a directory directly inside --output " + output);
    }
    return run;
  }

  /**
   * {@code {date}} in a run id becomes the given date, so a daily schedule gets one idempotent run
   * per day.
   */
  static String expandRunId(String runId, java.time.LocalDate date) {
    return runId.replace("{date}", date.toString());
  }

  public static boolean isComplete(Path run) {
    return Files.isRegularFile(run.resolve(SUCCESS));
  }

  /**
   * True (and says so on stdout) when the run already completed: a rerun of the same run id does
   * nothing.
   */
  public static boolean skipIfComplete(String job, Path run) {
    if (!isComplete(run)) return false;
    System.out.println(
        job
            + ": run "
            + run.getFileName()
            + " is already complete in "
            + run
            + "; nothing to do (delete it to redo)");
    return true;
  }

  /**
   * The run's lease ({@code <output>/.<run-id>.lease}); hold it from before the completeness check
   * to the end.
   */
  public static RunLease lease(String job, Path run, RunLease.Policy policy) {
    return RunLease.acquire(
        run.toAbsolutePath().normalize().toString(), job, policy, new Configuration());
  }

  /**
   * Removes what a killed or failed run of this project left behind (announced on stdout; only a
   * directory that carries the start marker, or an empty one), then creates the directory with the
   * marker. Anything else in the way is refused in one line and left alone.
   */
  public static void startFresh(String job, Path run) throws IOException {
    if (Files.isDirectory(run)
        && !Files.isSymbolicLink(run)
        && Files.isRegularFile(run.resolve(STARTED))) {
      System.out.println(job + ": removing the incomplete run " + run + " and starting it again");
      try (Stream<Path> s = Files.walk(run)) {
        for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
      }
    } else if (Files.exists(run, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(run)) {
      throw new UsageException(
          run
              + " exists but is not a run this project started (no "
              + STARTED
              + "): refusing to replace it; remove it yourself or choose another --run-id");
    }
    Files.createDirectories(run);
    Map<String, Object> marker = new LinkedHashMap<>();
    marker.put("job", job);
    marker.put("started", java.time.Instant.now().toString());
    marker.put("pid", ProcessHandle.current().pid());
    writeJson(run.resolve(STARTED), marker);
  }

  private static boolean isEmptyDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return false;
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
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

  public static void writeJsonLines(Path file, List<? extends Map<String, ?>> rows)
      throws IOException {
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
