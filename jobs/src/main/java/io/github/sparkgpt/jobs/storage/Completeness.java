package io.github.sparkgpt.jobs.storage;

import static io.github.sparkgpt.pipeline.write.OutputDirectory.SUCCESS;

import io.github.sparkgpt.jobs.UsageException;
import java.io.IOException;
import java.nio.file.Files;

/**
 * What a reader accepts as complete. Object stores rename by copying, so a directory can be visible
 * half-copied; only the {@code _SUCCESS} written after the copy says it is whole.
 *
 * <ul>
 *   <li>A job output (a preprocess output, a run directory): {@code _SUCCESS} in it, on every
 *       filesystem (the jobs always write it last).
 *   <li>A checkpoint on a cluster filesystem: {@code _SUCCESS} in the checkpoint directory
 *       (pretrain publishes each {@code checkpoints/step-N} with one), or in the run directory
 *       holding it ({@code <run>/model} of finetune, {@code <run>/checkpoints/step-N} of a finished
 *       pretraining run). A local checkpoint directory is whole by construction (written aside and
 *       renamed on one filesystem) and needs no marker.
 * </ul>
 */
public final class Completeness {

  private final RemoteFiles files;

  public Completeness(RemoteFiles files) {
    this.files = files;
  }

  /** Refuses (one line, exit 2) a job output without {@code _SUCCESS}. */
  public void requireOutput(String option, StoragePath dir, String what) {
    boolean ok;
    try {
      ok =
          dir.isLocal()
              ? Files.isRegularFile(dir.local().resolve(SUCCESS))
              : files.isFile(new org.apache.hadoop.fs.Path(dir.hadoop(), SUCCESS));
    } catch (IOException e) {
      throw new UsageException(option + " " + dir + ": cannot read (" + e.getMessage() + ")");
    }
    if (!ok) {
      throw new UsageException(
          option
              + " "
              + dir
              + ": no "
              + SUCCESS
              + ", so not a complete "
              + what
              + " (still being written or copied, or its job failed)");
    }
  }

  /** Refuses (one line, exit 2) a cluster checkpoint that neither it nor its run marks complete. */
  public void requireCheckpoint(String option, StoragePath dir) {
    if (dir.isLocal()) return;
    org.apache.hadoop.fs.Path cp = dir.hadoop();
    try {
      if (!files.isDirectory(cp))
        throw new UsageException(option + " " + dir + ": no such directory");
      if (marked(cp)) return;
      org.apache.hadoop.fs.Path parent = cp.getParent();
      if (parent != null && !parent.getName().equals("checkpoints") && marked(parent)) return;
      if (parent != null
          && parent.getName().equals("checkpoints")
          && parent.getParent() != null
          && marked(parent.getParent())) {
        return;
      }
    } catch (IOException e) {
      throw new UsageException(option + " " + dir + ": cannot read (" + e.getMessage() + ")");
    }
    throw new UsageException(
        option
            + " "
            + dir
            + ": no "
            + SUCCESS
            + " in the checkpoint or its run directory, so "
            + "not known to be complete (still being written or copied?)");
  }

  private boolean marked(org.apache.hadoop.fs.Path dir) throws IOException {
    return files.isFile(new org.apache.hadoop.fs.Path(dir, SUCCESS));
  }
}
