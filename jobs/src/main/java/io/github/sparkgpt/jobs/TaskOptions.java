package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options the task commands (finetune, fewshot) share: where the run goes ({@link RunOptions})
 * and how task files are read. The column options override the job's configuration keys of the same
 * name (see {@link #putInto}).
 */
public final class TaskOptions {
  @Mixin RunOptions run = new RunOptions();

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

  /** See {@link RunOptions#runOnce}. */
  <S> int runOnce(
      String job,
      JobOptions options,
      Map<String, Object> namedOptions,
      Function<Config, S> settings,
      RunOptions.LeasedTask<S> body)
      throws IOException {
    return run.runOnce(job, options, namedOptions, settings, body);
  }

  /** Adds the options given on the command line to a job's named-option overrides. */
  void putInto(Map<String, Object> named) {
    named.put("task", task);
    named.put("text_columns", textColumns);
    named.put("label_column", labelColumn);
    named.put("id_column", idColumn);
  }
}
