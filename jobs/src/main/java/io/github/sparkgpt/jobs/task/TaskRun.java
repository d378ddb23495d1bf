package io.github.sparkgpt.jobs.task;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.JobConfig;
import io.github.sparkgpt.jobs.TaskRunFiles;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.layout.TaskRunLayout;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.metrics.RunMetricsJson;
import io.github.sparkgpt.jobs.report.RunReport;
import io.github.sparkgpt.jobs.storage.ShownPaths;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A task run's directory from start to finish: started fresh (a partial run of this project
 * removed) with its config.conf; rejected.jsonl and the job's own files while it runs;
 * metrics.json, report.html and {@code _SUCCESS} last, then published where the run goes.
 */
public final class TaskRun {
  public static final String CONFIG = TaskRunLayout.CONFIG;
  public static final String REJECTED = TaskRunLayout.REJECTED;
  public static final String PREDICTIONS = TaskRunLayout.PREDICTIONS;

  private final TaskRunStaging staged;
  private final Path dir;

  private TaskRun(TaskRunStaging staged) {
    this.staged = staged;
    this.dir = staged.local();
  }

  /**
   * Starts the run directory (call once everything that can be refused was refused) and writes
   * config.conf.
   */
  public static TaskRun start(String job, TaskRunStaging staged, Config config) throws IOException {
    TaskRunFiles.startFresh(job, staged.local());
    Files.writeString(staged.local().resolve(CONFIG), JobConfig.render(job, config));
    return new TaskRun(staged);
  }

  /** The local run directory. */
  public Path dir() {
    return dir;
  }

  /** Refuses (a usage error) a split file that left no usable rows, naming rejected.jsonl. */
  public void requireRows(String file, int rows, String what) {
    if (rows == 0)
      throw new UsageException(
          file + ": no usable " + what + " (see " + dir.resolve(REJECTED) + ")");
  }

  public void writeRejected(Quarantine quarantine) throws IOException {
    TaskRunFiles.writeJsonLines(dir.resolve(REJECTED), quarantine.rows());
  }

  public void writeLines(String file, List<? extends Map<String, ?>> rows) throws IOException {
    TaskRunFiles.writeJsonLines(dir.resolve(file), rows);
  }

  public void writeJson(String file, Object value) throws IOException {
    TaskRunFiles.writeJson(dir.resolve(file), value);
  }

  /**
   * metrics.json, the run's report, {@code _SUCCESS}, then publishes the run; returns where it
   * went.
   */
  public String finish(RunMetrics metrics) throws IOException {
    RunMetricsJson.write(dir.resolve(TaskRunLayout.METRICS), metrics);
    RunReport.tryWrite(new RunReport.Options().setTasks(List.of(dir)), dir.resolve(RunReport.FILE));
    new ShownPaths().add(dir, staged.target()).rewrite(dir.resolve(RunReport.FILE));
    TaskRunFiles.markComplete(dir);
    staged.publish();
    return staged.target().toString();
  }
}
