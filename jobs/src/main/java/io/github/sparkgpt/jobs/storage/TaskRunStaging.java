package io.github.sparkgpt.jobs.storage;

import io.github.sparkgpt.jobs.JobRunner;
import io.github.sparkgpt.jobs.TaskRunFiles;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The run directory {@code <output>/<run-id>} of a task job (finetune, fewshot) on any filesystem.
 * A local run is written in place; a cluster run is written in a local temporary directory and
 * published as a whole at the end (temp + rename, replacing an incomplete earlier attempt, {@code
 * _SUCCESS} last), so it is complete or absent.
 */
public final class TaskRunStaging {
  private final Path local;
  private final StoragePath target;
  private final RemoteFiles files;

  private TaskRunStaging(Path local, StoragePath target, RemoteFiles files) {
    this.local = local;
    this.target = target;
    this.files = files;
  }

  /** Validates the run id (TaskRunFiles' rules) and picks the directory the job writes. */
  public static TaskRunStaging open(Storage storage, String output, String runId) {
    StoragePath parent = StoragePath.of("--output", output);
    if (parent.isLocal()) {
      Path run = TaskRunFiles.runDirectory(parent.local(), runId);
      return new TaskRunStaging(run, StoragePath.local(run), storage.files());
    }
    Path run = TaskRunFiles.runDirectory(storage.scratch().newDirectory("run"), runId);
    return new TaskRunStaging(run, parent.resolve(run.getFileName().toString()), storage.files());
  }

  /** Where the job writes the run. */
  public Path local() {
    return local;
  }

  /** Where the run ends up (for messages). */
  public StoragePath target() {
    return target;
  }

  /**
   * True (said on stdout) when the run already completed: a rerun of the same run id does nothing.
   */
  public boolean skipIfComplete(String job) {
    if (target.isLocal()) return TaskRunFiles.skipIfComplete(job, local);
    try {
      if (!files.isFile(new org.apache.hadoop.fs.Path(target.hadoop(), OutputDirectory.SUCCESS)))
        return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + target + ": " + e.getMessage(), e);
    }
    System.out.println(
        job
            + ": run "
            + target.name()
            + " is already complete in "
            + target
            + "; nothing to do (delete it to redo)");
    return true;
  }

  /** The part of a task job that runs once its run is leased. */
  public interface LeasedRun {
    int run() throws IOException;
  }

  /**
   * Runs {@code body} unless the run already completed, holding the run's lease to the end: a
   * second run with this id can neither skip on nor remove this one's partial files. Completion is
   * checked again once the lease is held.
   */
  public int runOnce(String job, RunLease.Policy policy, LeasedRun body) throws IOException {
    if (skipIfComplete(job)) return JobRunner.OK;
    try (RunLease lease = lease(job, policy)) {
      if (skipIfComplete(job)) return JobRunner.OK; // completed while we waited for the lease
      return body.run();
    }
  }

  /**
   * Takes the run's lease where the run ends up: beside the local run, or beside the cluster
   * directory.
   */
  public RunLease lease(String job, RunLease.Policy policy) {
    if (target.isLocal()) return TaskRunFiles.lease(job, local, policy);
    return RunLease.acquire(target.hadoop().toString(), job, policy, files.conf());
  }

  /** For a cluster run: publishes the finished local run directory, {@code _SUCCESS} last. */
  public void publish() {
    if (target.isLocal()) return;
    try {
      files.publishDirectory(local, target.hadoop(), true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "publishing the run to " + target + " failed: " + e.getMessage(), e);
    }
  }
}
