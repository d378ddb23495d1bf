package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.jobs.LineageFiles;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.pipeline.task.TaskReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A task run's input files, read: split name to file, its rows and rejected rows, and each file's
 * sha256 for the lineage. Optional splits given as null are left out. Every file is read before the
 * run directory is touched.
 */
public final class TaskSplits {
  private final Map<String, String> files = new LinkedHashMap<>();
  private final Map<String, TaskReader.Result> read = new LinkedHashMap<>();
  private final Map<String, String> sha256;

  private TaskSplits(TaskColumns columns, String... splitThenPath) {
    // Multiple-choice answers or accepted responses may sit in one CSV/TSV cell as a JSON array.
    TaskReader reader =
        new TaskReader()
            .setFormat(columns.getFormat())
            .setInputColumns(columns.getTextColumns())
            .setLabelColumn(columns.getLabelColumn())
            .setIdColumn(columns.getIdColumn())
            .setOptionalColumns(columns.optionalColumns())
            .setArrayCells(columns.arrayCells())
            .validate();
    Configuration hadoop = new Configuration();
    for (int i = 0; i + 1 < splitThenPath.length; i += 2) {
      if (splitThenPath[i + 1] == null) continue;
      files.put(splitThenPath[i], splitThenPath[i + 1]);
      read.put(splitThenPath[i], reader.read(splitThenPath[i + 1], hadoop));
    }
    sha256 = LineageFiles.taskFiles(hadoop, splitThenPath);
  }

  /** Reads (split, path) pairs in order; a null path is an absent optional split. */
  public static TaskSplits read(TaskColumns columns, String... splitThenPath) {
    return new TaskSplits(columns, splitThenPath);
  }

  public boolean has(String split) {
    return read.containsKey(split);
  }

  /** The split's rows as read, or null when the split was not given. */
  public TaskReader.Result rows(String split) {
    return read.get(split);
  }

  public String file(String split) {
    return files.get(split);
  }

  /** sha256 of each split's file, for the lineage. */
  public Map<String, String> sha256() {
    return sha256;
  }

  /**
   * metrics.json's lineage: the starting checkpoint (directory and digest) and these files' sha256.
   */
  public RunMetrics.Lineage lineage(Checkpoint start, String startDir) {
    return new RunMetrics.Lineage(start.digest(), startDir, start.verified(), sha256);
  }
}
