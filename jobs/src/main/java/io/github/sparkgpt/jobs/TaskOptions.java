package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The options the task commands (finetune, fewshot) share: where the run goes and how task files
 * are read. The column options override the job's configuration keys of the same name (see {@link
 * #putInto}).
 */
public final class TaskOptions {
  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Parent of the run directory: a local path or a URI (hdfs://, s3a://, file://).")
  String output;

  @Option(
      names = "--run-id",
      required = true,
      paramLabel = "ID",
      description =
          "Run directory name under --output; {date} is replaced by the UTC date (YYYY-MM-DD), for"
              + " schedulers without templating.")
  String runId;

  @Option(
      names = "--task",
      paramLabel = "TASK",
      description = "classification, entailment, similarity, multiple_choice (task).")
  String task;

  @Option(
      names = "--text-columns",
      split = ",",
      paramLabel = "COL",
      description = "Input columns in order (text_columns).")
  List<String> textColumns;

  @Option(
      names = "--label-column",
      paramLabel = "COL",
      description = "Label column (label_column).")
  String labelColumn;

  @Option(names = "--id-column", paramLabel = "COL", description = "Id column (id_column).")
  String idColumn;

  /** {@code <output>/<run-id>} with {@code {date}} expanded; an unsafe run id is a usage error. */
  TaskRunStaging runDirectory(Storage storage) {
    return TaskRunStaging.open(storage, output, runId);
  }

  /** What a task command does once its run is leased and not yet complete. */
  interface LeasedTask<S> {
    int run(Config config, S settings, TaskRunStaging staged) throws IOException;
  }

  /**
   * The start every task command shares: the effective configuration (none for --print-config), the
   * job's settings, the run directory, then {@code body} at most once per run id and one run at a
   * time.
   */
  <S> int runOnce(
      String job,
      JobOptions options,
      Map<String, Object> namedOptions,
      Function<Config, S> settings,
      LeasedTask<S> body)
      throws IOException {
    try (Storage storage = new Storage()) {
      Config config = options.load(job, namedOptions);
      if (config == null) return JobRunner.OK; // --print-config
      S bound = settings.apply(config);
      TaskRunStaging staged = runDirectory(storage);
      return staged.runOnce(job, options.leasePolicy(), () -> body.run(config, bound, staged));
    }
  }

  /** Adds the options given on the command line to a job's named-option overrides. */
  void putInto(Map<String, Object> named) {
    named.put("task", task);
    named.put("text_columns", textColumns);
    named.put("label_column", labelColumn);
    named.put("id_column", idColumn);
  }
}
