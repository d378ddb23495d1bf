package io.github.sparkgpt.jobs.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The driver's temporary directories for one job (under {@code java.io.tmpdir}): copies of cluster
 * inputs and the staging directory of cluster outputs. All are deleted when the job ends, whatever
 * its outcome.
 */
public final class LocalScratch implements AutoCloseable {
  /**
   * Names a driver's scratch directories by its pid, so a leftover can be traced to the process
   * that made it.
   */
  public static final String PREFIX = "sparkgpt-" + ProcessHandle.current().pid() + "-";

  private final List<Path> dirs = new ArrayList<>();

  /** A new empty directory, deleted by {@link #close()}. */
  public Path newDirectory(String purpose) {
    try {
      Path d = Files.createTempDirectory(PREFIX + purpose + "-");
      dirs.add(d);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a local temporary directory: " + e.getMessage(), e);
    }
  }

  public List<Path> directories() {
    return List.copyOf(dirs);
  }

  @Override
  public void close() {
    for (Path d : dirs) {
      if (!Files.exists(d)) continue;
      try (Stream<Path> s = Files.walk(d)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (IOException e) {
        System.err.println(
            "sparkgpt: could not remove the temporary directory " + d + ": " + e.getMessage());
      }
    }
    dirs.clear();
  }
}
