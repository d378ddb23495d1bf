package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;

/** The settings every task run reads its files with: the task and where its columns are. */
public interface TaskColumns {
  /** The task family; null for a generative run (prompt -> response), which has none. */
  TaskType taskType();

  /** CSV/TSV cells holding a JSON array are read as their items (answers). */
  default boolean arrayCells() {
    return taskType() == TaskType.MULTIPLE_CHOICE;
  }

  String getFormat();

  List<String> getTextColumns();

  String getLabelColumn();

  String getIdColumn();

  /** Columns a row may leave out; their values go to {@code TaskExample.optional()}. */
  default List<String> optionalColumns() {
    return List.of();
  }
}
