package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;

/** The settings every task run reads its files with: the task and where its columns are. */
public interface TaskColumns {
  TaskType taskType();

  String getFormat();

  List<String> getTextColumns();

  String getLabelColumn();

  String getIdColumn();
}
