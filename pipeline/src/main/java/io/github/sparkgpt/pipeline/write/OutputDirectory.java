package io.github.sparkgpt.pipeline.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory that only ever looks complete when it is, and that never replaces what this
 * project did not write. Everything is written into a hidden temporary sibling that carries the
 * {@value #STARTED} marker from the start; {@link #commit()} moves the previous output aside,
 * renames the new one into place, writes {@code _SUCCESS} and only then deletes the previous one.
 * The run holds a {@link RunLease} on the output from {@code prepare} until commit or abort.
 *
 * <p>Refused: an output that equals, contains or lies inside an input; a complete output without
 * {@code overwrite}; an existing, non-empty directory that has neither {@code _SUCCESS} nor the
 * marker (not ours), and a complete one without the marker even with {@code overwrite}.
 */
public final class OutputDirectory implements AutoCloseable {
  public static final String SUCCESS = "_SUCCESS";

  /**
   * Written when a run of this project starts writing a directory: the only licence to replace it
   * later.
   */
  public static final String STARTED = "_SPARKGPT_RUN";

  private final FileSystem fs;
  private final Path target;
  private final Path temporary;
  private final boolean replacesExisting;
  private final RunLease lease;
  private boolean finished;

  private OutputDirectory(
      FileSystem fs, Path target, Path temporary, boolean replacesExisting, RunLease lease) {
    this.fs = fs;
    this.target = target;
    this.temporary = temporary;
    this.replacesExisting = replacesExisting;
    this.lease = lease;
  }

  /**
   * {@link #prepare(String, List, boolean, String, RunLease.Policy, Configuration)} with no inputs
   * to protect.
   */
  public static OutputDirectory prepare(
      String output, boolean overwrite, Configuration hadoopConf) {
    return prepare(output, List.of(), overwrite, "output", RunLease.Policy.DEFAULT, hadoopConf);
  }

  /**
   * Check the target, take its lease and create the temporary directory with the start marker.
   * Throws {@link IllegalArgumentException} (a usage error) when the output overlaps an input or is
   * a directory this project did not write, and {@link IllegalStateException} when it is complete
   * and {@code overwrite} is false, is a file, is leased by another run, or cannot be written.
   * Every message is one line naming the path.
   */
  public static OutputDirectory prepare(
      String output,
      List<String> inputs,
      boolean overwrite,
      String job,
      RunLease.Policy leasePolicy,
      Configuration hadoopConf) {
    Path target;
    FileSystem fs;
    try {
      target = new Path(output);
      fs = target.getFileSystem(hadoopConf);
      target = fs.makeQualified(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access output " + output + ": " + e.getMessage(), e);
    }
    if (target.getParent() == null)
      throw new IllegalArgumentException("output " + target + " is a filesystem root");
    String overlap = PathOverlap.conflict(target, inputs, hadoopConf).orElse(null);
    if (overlap != null) throw new IllegalArgumentException(overlap);
    RunLease lease = RunLease.acquire(fs, target, job, leasePolicy);
    try {
      boolean exists = fs.exists(target);
      if (exists) checkReplaceable(fs, target, overwrite);
      Path tmp = sibling(target, ".tmp-");
      try {
        if (!fs.mkdirs(tmp)) throw new IOException("mkdirs returned false");
        JsonFiles.writeJson(fs, new Path(tmp, STARTED), startRecord(job, lease));
      } catch (IOException | UncheckedIOException e) {
        throw new IllegalStateException(
            "cannot write output next to " + target + ": " + e.getMessage(), e);
      }
      return new OutputDirectory(fs, target, tmp, exists, lease);
    } catch (IOException e) {
      lease.close();
      throw new UncheckedIOException("cannot access output " + output + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  private static void checkReplaceable(FileSystem fs, Path target, boolean overwrite)
      throws IOException {
    if (!fs.getFileStatus(target).isDirectory()) {
      throw new IllegalStateException(
          "output " + target + " exists and is a file, not a directory");
    }
    boolean complete = fs.exists(new Path(target, SUCCESS));
    boolean ours = fs.exists(new Path(target, STARTED));
    if (complete && !overwrite) {
      throw new IllegalStateException(
          "output "
              + target
              + " already holds a complete run ("
              + SUCCESS
              + " present); pass --overwrite to replace it or choose another --output");
    }
    if (ours || fs.listStatus(target).length == 0) return;
    throw new IllegalArgumentException(
        "output "
            + target
            + (complete
                ? " holds a complete output that sparkgpt did not write (no "
                    + STARTED
                    + "); refusing to replace it"
                : " exists and is neither a complete run ("
                    + SUCCESS
                    + ") nor one sparkgpt started ("
                    + STARTED
                    + "); refusing to replace it")
            + ": remove it yourself or choose another --output");
  }

  private static Path sibling(Path target, String kind) {
    return new Path(
        target.getParent(),
        "." + target.getName() + kind + UUID.randomUUID().toString().substring(0, 8));
  }

  private static Map<String, Object> startRecord(String job, RunLease lease) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", job);
    m.put("user", lease.holder().user());
    m.put("host", lease.holder().host());
    m.put("pid", lease.holder().pid());
    m.put("started", Instant.now().toString());
    return m;
  }

  /** Where the job writes; a path string usable by Spark writers. */
  public Path temporary() {
    return temporary;
  }

  public Path target() {
    return target;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** True when an earlier incomplete or complete (with overwrite) run is being replaced. */
  public boolean replacesExisting() {
    return replacesExisting;
  }

  /**
   * Previous output aside, new one into place, {@code _SUCCESS}, then the previous one deleted. A
   * failure on the way leaves one complete copy and the message says where it is; the lease is
   * released either way.
   */
  public void commit() {
    try {
      Path aside = moveIntoPlace();
      try {
        fs.create(new Path(target, SUCCESS), true).close();
      } catch (IOException e) {
        throw new IOException(
            "writing "
                + SUCCESS
                + " failed ("
                + e.getMessage()
                + "); the new output is in "
                + target
                + " without it"
                + (aside == null ? "" : ", the previous complete output is kept in " + aside),
            e);
      }
      finished = true;
      deleteAside(aside);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "committing output " + target + " failed: " + e.getMessage(), e);
    } finally {
      lease.close();
    }
  }

  /**
   * Move a failed run's reports into place for inspection, without {@code _SUCCESS}, so it never
   * looks complete and the next run replaces it. A complete run at the target is never replaced by
   * a failed one: the reports then stay in the temporary directory. Returns where they are.
   */
  public Path commitIncomplete() {
    try {
      if (fs.exists(new Path(target, SUCCESS))) {
        finished = true;
        return temporary;
      }
      // An incomplete target here is one of ours (prepare refused anything else).
      Path aside = moveIntoPlace();
      finished = true;
      deleteAside(aside);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "moving the failed run's reports to " + target + " failed: " + e.getMessage(), e);
    } finally {
      lease.close();
    }
  }

  private Path moveIntoPlace() throws IOException {
    return RenameIntoPlace.move(fs, temporary, target, sibling(target, ".old-"));
  }

  private void deleteAside(Path aside) {
    RenameIntoPlace.deleteAside(fs, aside, target);
  }

  /**
   * Remove the temporary directory after a failure and release the lease; never touches the target.
   */
  public void abort() {
    if (!finished) {
      finished = true;
      try {
        fs.delete(temporary, true);
      } catch (IOException ignored) {
        // best effort: a leftover hidden .tmp directory is harmless and never looks complete
      }
    }
    lease.close();
  }

  /** Aborts unless committed; always releases the lease. */
  @Override
  public void close() {
    abort();
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
