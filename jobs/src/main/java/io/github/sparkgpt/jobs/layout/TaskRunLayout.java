package io.github.sparkgpt.jobs.layout;

/**
 * The files of a task run directory ({@code <output>/<run-id>/}), for the jobs that write it and
 * for readers: config.conf, labels.json (finetune), rejected.jsonl, predictions.jsonl, model/
 * (finetune), metrics.json, report.html and _SUCCESS, written last.
 */
public final class TaskRunLayout {
  public static final String CONFIG = "config.conf";
  public static final String LABELS = "labels.json";
  public static final String REJECTED = "rejected.jsonl";
  public static final String PREDICTIONS = "predictions.jsonl";
  public static final String MODEL = "model";
  public static final String METRICS = "metrics.json";

  private TaskRunLayout() {}
}
