package io.github.sparkgpt.pipeline.write;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Replaces a directory or file by rename on any Hadoop filesystem, so that one complete copy exists
 * at every moment: the previous target is renamed aside, the new one renamed into place, and only
 * then is the previous one deleted. A failed rename puts the previous target back, or the message
 * says where it is.
 */
public final class RenameIntoPlace {
  private RenameIntoPlace() {}

  /**
   * Moves {@code from} to {@code target}, an existing target first to {@code aside}; returns {@code
   * aside}, or null when there was no target. {@link #deleteAside} finishes the replacement.
   */
  public static Path move(FileSystem fs, Path from, Path target, Path aside) throws IOException {
    Path moved = null;
    if (fs.exists(target)) {
      if (!fs.rename(target, aside)) {
        throw new IOException(
            "could not move the previous " + target + " aside to " + aside + "; it is unchanged");
      }
      moved = aside;
    }
    boolean renamed;
    try {
      renamed = fs.rename(from, target);
    } catch (IOException e) {
      renamed = false;
    }
    if (!renamed)
      throw new IOException(
          "rename " + from + " -> " + target + " failed; " + restore(fs, target, moved));
    return moved;
  }

  /**
   * Deletes the previous copy once its replacement is in place; a failure is said on stderr, not
   * thrown.
   */
  public static void deleteAside(FileSystem fs, Path aside, Path target) {
    if (aside == null) return;
    try {
      if (!fs.delete(aside, true)) throw new IOException("delete returned false");
    } catch (IOException e) {
      System.err.println(
          "replaced "
              + target
              + " but could not delete the previous copy "
              + aside
              + ": "
              + e.getMessage());
    }
  }

  /** Puts the previous target back after a failed rename; says where the complete copy is. */
  private static String restore(FileSystem fs, Path target, Path aside) {
    if (aside == null) return "nothing was replaced";
    try {
      if (!fs.exists(target) && fs.rename(aside, target))
        return "the previous output is back in " + target;
    } catch (IOException e) {
      // fall through: say where it is
    }
    return "the previous output is kept in " + aside;
  }
}
