package io.github.sparkgpt.pipeline.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory that only ever looks complete when it is: everything is written into a hidden temporary
 * sibling, which is renamed into place by {@link #commit()}; the {@code _SUCCESS} marker is written after the
 * rename. A directory without {@code _SUCCESS} is a dead run's leftover and is replaced; a complete one is only
 * replaced with {@code overwrite}.
 */
public final class OutputDirectory {
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path temporary;
  private final boolean replacesIncomplete;

  private OutputDirectory(FileSystem fs, Path target, Path temporary, boolean replacesIncomplete) {
    this.fs = fs;
    this.target = target;
    this.temporary = temporary;
    this.replacesIncomplete = replacesIncomplete;
  }

  /**
   * Check the target and create the temporary directory. Throws {@link IllegalStateException} with a one-line
   * message when the target is complete and {@code overwrite} is false, or when it cannot be written.
   */
  public static OutputDirectory prepare(String output, boolean overwrite, Configuration hadoopConf) {
    try {
      Path target = new Path(output);
      FileSystem fs = target.getFileSystem(hadoopConf);
      target = fs.makeQualified(target);
      boolean exists = fs.exists(target);
      if (exists && !fs.getFileStatus(target).isDirectory()) {
        throw new IllegalStateException("output " + target + " exists and is a file, not a directory");
      }
      if (exists && fs.exists(new Path(target, SUCCESS)) && !overwrite) {
        throw new IllegalStateException("output " + target + " already holds a complete run (" + SUCCESS
            + " present); pass --overwrite to replace it or choose another --output");
      }
      Path parent = target.getParent();
      Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
      try {
        if (!fs.mkdirs(tmp)) throw new IOException("mkdirs returned false");
      } catch (IOException e) {
        throw new IllegalStateException("cannot write output next to " + target + ": " + e.getMessage(), e);
      }
      return new OutputDirectory(fs, target, tmp, exists);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access output " + output + ": " + e.getMessage(), e);
    }
  }

  /** Where the job writes; a path string usable by Spark writers. */
  public Path temporary() { return temporary; }

  public Path target() { return target; }

  public FileSystem fileSystem() { return fs; }

  /** True when an earlier incomplete or complete (with overwrite) run is being replaced. */
  public boolean replacesExisting() { return replacesIncomplete; }

  /** Move the finished temporary directory into place, then write {@code _SUCCESS}. */
  public void commit() {
    try {
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("could not delete the previous " + target);
      }
      if (!fs.rename(temporary, target)) throw new IOException("rename " + temporary + " -> " + target + " failed");
      fs.create(new Path(target, SUCCESS), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("committing output " + target + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Move a failed run's reports into place for inspection, without {@code _SUCCESS}, so it never looks complete
   * and the next run replaces it. A complete run at the target is never replaced by a failed one: the reports then
   * stay in the temporary directory. Returns where they are.
   */
  public Path commitIncomplete() {
    try {
      if (fs.exists(new Path(target, SUCCESS))) return temporary;
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("could not delete the previous incomplete " + target);
      }
      if (!fs.rename(temporary, target)) throw new IOException("rename " + temporary + " -> " + target + " failed");
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("moving the failed run's reports to " + target + " failed: " + e.getMessage(), e);
    }
  }

  /** Remove the temporary directory after a failure; never touches the target. */
  public void abort() {
    try {
      fs.delete(temporary, true);
    } catch (IOException ignored) {
      // best effort: a leftover hidden .tmp directory is harmless and never looks complete
    }
  }

  public static boolean isComplete(String dir, Configuration hadoopConf) {
    try {
      Path p = new Path(dir);
      return p.getFileSystem(hadoopConf).exists(new Path(p, SUCCESS));
    } catch (IOException e) {
      return false;
    }
  }
}
