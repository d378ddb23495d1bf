package io.github.sparkgpt.jobs.storage;

import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An output directory as the driver writes it: {@link #local()} is the target itself for local
 * paths (every method here is then a no-op), or a local working directory for a cluster target,
 * published piece by piece ({@link #publishFile}, {@link #publishDirectory}) and finally as a whole
 * with {@code _SUCCESS} last.
 */
public final class StagedDirectory {
  private final StoragePath target;
  private final Path local;
  private final RemoteFiles files;

  StagedDirectory(StoragePath target, Path local, RemoteFiles files) {
    this.target = target;
    this.local = local;
    this.files = files;
  }

  public StoragePath target() {
    return target;
  }

  public Path local() {
    return local;
  }

  public boolean isRemote() {
    return !target.isLocal();
  }

  public RemoteFiles files() {
    return files;
  }

  /** The cluster location of {@code relative} (only for a remote target). */
  public org.apache.hadoop.fs.Path remote(String relative) {
    return new org.apache.hadoop.fs.Path(target.hadoop(), relative);
  }

  /** Publishes one local file (skipped when it does not exist locally) by temp + rename. */
  public void publishFile(String relative) {
    if (!isRemote() || !Files.isRegularFile(local.resolve(relative))) return;
    io(() -> files.publishFile(local.resolve(relative), remote(relative)), relative);
  }

  /**
   * Publishes a local subdirectory by temp + rename, with its own {@code _SUCCESS} when {@code
   * markSuccess}.
   */
  public void publishDirectory(String relative, boolean markSuccess) {
    if (!isRemote()) return;
    io(
        () -> files.publishDirectory(local.resolve(relative), remote(relative), markSuccess),
        relative);
  }

  /** Publishes the whole directory (replacing the target) and writes {@code _SUCCESS} after it. */
  public void publishAll() {
    if (!isRemote()) return;
    io(() -> files.publishDirectory(local, target.hadoop(), true), ".");
  }

  public void markSuccess() {
    if (!isRemote()) return;
    io(() -> files.markSuccess(target.hadoop()), OutputDirectory.SUCCESS);
  }

  public void clearSuccess() {
    if (!isRemote()) return;
    io(() -> files.clearSuccess(target.hadoop()), OutputDirectory.SUCCESS);
  }

  private interface Io {
    void run() throws IOException;
  }

  private void io(Io op, String what) {
    try {
      op.run();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "publishing " + what + " to " + target + " failed: " + e.getMessage(), e);
    }
  }
}
