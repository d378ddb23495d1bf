package io.github.sparkgpt.jobs;

import io.github.sparkgpt.model.FileDigests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Content hashes for lineage records: input files on any Hadoop filesystem, e.g. a task run's files
 * for the lineage in its metrics.json.
 */
public final class LineageFiles {
  private LineageFiles() {}

  /**
   * sha256 of a file's bytes; of a directory, the sha256 of the {@code sha256sum}-style listing of
   * its files (relative names, recursive), the way a checkpoint digest is formed.
   */
  static String sha256(String pathOrUri, Configuration hadoop) {
    Path p = new Path(pathOrUri);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      FileStatus st = fs.getFileStatus(p);
      if (st.isFile()) return sha256(fs, p);
      Map<String, String> listing = new TreeMap<>();
      String root = fs.makeQualified(p).toUri().getPath();
      for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true); it.hasNext(); ) {
        Path f = it.next().getPath();
        listing.put(
            f.toUri().getPath().substring(root.length()).replaceFirst("^/", ""), sha256(fs, f));
      }
      return FileDigests.ofListing(listing);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + pathOrUri + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(FileSystem fs, Path file) throws IOException {
    return FileDigests.of(fs.open(file)).sha256();
  }

  /**
   * sha256 of each task file, from (split, path) pairs; null paths (optional splits) are left out.
   */
  public static Map<String, String> taskFiles(Configuration hadoop, String... splitThenPath) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < splitThenPath.length; i += 2) {
      if (splitThenPath[i + 1] != null)
        out.put(splitThenPath[i], sha256(splitThenPath[i + 1], hadoop));
    }
    return out;
  }
}
