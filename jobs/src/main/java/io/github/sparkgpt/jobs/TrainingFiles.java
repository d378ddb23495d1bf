package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.task.TaskColumns;
import io.github.sparkgpt.jobs.task.TaskSplits;
import picocli.CommandLine.Option;

/**
 * What the training task commands (finetune, sft) start from: a language-model checkpoint and the
 * train, validation and optional test files (local paths or URIs).
 */
public final class TrainingFiles {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "A language-model checkpoint directory (pretrain, sft or import).")
  String checkpoint;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "FILE",
      description = "Training file (csv, tsv, jsonl, json).")
  String train;

  @Option(
      names = "--validation",
      required = true,
      paramLabel = "FILE",
      description = "Validation file.")
  String validation;

  @Option(
      names = "--test",
      paramLabel = "FILE",
      description = "Test file: predictions.jsonl (and metrics if it has the targets).")
  String test;

  /** Reads the three splits (test only when given) with the job's columns. */
  TaskSplits read(TaskColumns columns) {
    return TaskSplits.read(columns, "train", train, "validation", validation, "test", test);
  }
}
