package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import java.util.List;
import java.util.Map;
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

  /** Adds the options given on the command line to a job's named-option overrides. */
  void putInto(Map<String, Object> named) {
    named.put("task", task);
    named.put("text_columns", textColumns);
    named.put("label_column", labelColumn);
    named.put("id_column", idColumn);
  }
}
