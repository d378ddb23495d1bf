package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Driver side of the read stage: input paths (files, directories, globs, any Hadoop FileSystem URI)
 * to files.
 */
final class InputPlanner {
  private InputPlanner() {}

  /**
   * Expand input paths into the sorted, de-duplicated list of files to read. Directories are listed
   * recursively, skipping names that start with {@code .} or {@code _} ({@code _SUCCESS}, {@code
   * .crc}); a glob or a file named explicitly is taken as given. A directory reached again through
   * a symbolic link is listed once: a link back to one of its own ancestors (a loop, which would
   * recurse forever) and a second link to a directory already listed are skipped, counted in {@link
   * ReadPlan#counters()} and named in {@link ReadPlan#skipped()}.
   *
   * <p>Each file's id ({@link InputFile#id()}) is its path below the input root it was found under,
   * after the root's name, so a corpus moved or copied elsewhere keeps its ids and its
   * train/validation split: input {@code /data/books} gives {@code books/austen/emma.txt}, a file
   * named directly its own name, a glob the path below its last directory without wildcards. Files
   * that would share an id (two inputs with one name) keep their full paths instead.
   *
   * @throws IllegalArgumentException if a path does not exist, a glob matches nothing or a
   *     directory has no files
   */
  static ReadPlan plan(
      Configuration conf, List<String> paths, Function<String, InputFormat> formatFor) {
    if (paths == null || paths.isEmpty())
      throw new IllegalArgumentException("no input paths given");
    Map<String, Planned> files = new TreeMap<>();
    Listing listing = new Listing();
    for (String input : paths) {
      try {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
          throw new IllegalArgumentException(
              "input path does not exist or matches no file: " + input);
        }
        Path root = fs.makeQualified(globRoot(p));
        int before = files.size();
        for (FileStatus m : matches) {
          if (m.isDirectory()) listing.list(fs, m.getPath(), root, files);
          else files.putIfAbsent(m.getPath().toString(), new Planned(m, idFor(root, m.getPath())));
        }
        if (files.size() == before && !anyKnown(files, matches)) {
          throw new IllegalArgumentException("input path contains no files: " + input);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot list input path " + input + ": " + e.getMessage(), e);
      }
    }
    Map<String, Long> idCounts = new HashMap<>();
    for (Planned f : files.values()) idCounts.merge(f.id(), 1L, Long::sum);
    List<InputFile> out = new ArrayList<>();
    for (Planned planned : files.values()) {
      FileStatus st = planned.status();
      String name = st.getPath().getName();
      InputFormat f = formatFor.apply(name);
      Compression c = f == InputFormat.PARQUET ? Compression.NONE : Compression.forFileName(name);
      String path = st.getPath().toString();
      out.add(
          new InputFile(
              path, st.getLen(), f, c, idCounts.get(planned.id()) > 1 ? path : planned.id()));
    }
    return new ReadPlan(out, listing.counters, listing.skipped);
  }

  /** A file found while planning, with the id it gets. */
  private record Planned(FileStatus status, String id) {}

  /**
   * The directory an input's ids are relative to: the input itself, or for a glob its last
   * wildcard-free parent.
   */
  static Path globRoot(Path input) {
    Path root = input;
    for (Path p = input; p != null; p = p.getParent()) {
      if (hasGlob(p.getName())) root = p.getParent();
    }
    return root == null ? input : root;
  }

  private static boolean hasGlob(String name) {
    for (char ch : name.toCharArray()) if ("*?[]{}\\".indexOf(ch) >= 0) return true;
    return false;
  }

  /** {@code <root name>/<path below root>}; the full path when the file is not below the root. */
  static String idFor(Path root, Path file) {
    String r = root.toString();
    String f = file.toString();
    String name = root.getName();
    if (f.equals(r)) return name.isEmpty() ? f : name;
    String prefix = r.endsWith("/") ? r : r + "/";
    if (!f.startsWith(prefix)) return f;
    String rel = f.substring(prefix.length());
    return name.isEmpty() ? rel : name + "/" + rel;
  }

  /**
   * True if the matched paths were already planned (the same input given twice is not an error).
   */
  private static boolean anyKnown(Map<String, Planned> files, FileStatus[] matches) {
    for (FileStatus m : matches) {
      String p = m.getPath().toString();
      if (files.containsKey(p) || files.keySet().stream().anyMatch(k -> k.startsWith(p + "/")))
        return true;
    }
    return false;
  }

  /** Recursive directory listing that lists each real directory once. */
  private static final class Listing {
    private final Set<String> listed = new HashSet<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private final List<String> skipped = new ArrayList<>();

    void list(FileSystem fs, Path dir, Path root, Map<String, Planned> files) throws IOException {
      list(fs, dir, root, files, new ArrayList<>());
    }

    private void list(
        FileSystem fs, Path dir, Path root, Map<String, Planned> files, List<String> ancestors)
        throws IOException {
      String real = realPath(fs, dir);
      if (ancestors.contains(real)) {
        skip(ReadPlan.SYMLINK_LOOPS, dir + " is a link back to its ancestor " + real);
        return;
      }
      if (!listed.add(real)) {
        skip(ReadPlan.REPEATED_DIRECTORIES, dir + " is " + real + ", listed already");
        return;
      }
      ancestors.add(real);
      // listStatus, not listFiles(dir, true): on the local filesystem the latter builds
      // LocatedFileStatus objects
      // whose permissions Hadoop reads by forking `ls` once per file (seconds for a few hundred
      // files).
      FileStatus[] children = fs.listStatus(dir);
      // By name, so which of two links to one directory is listed (and gives the ids) does not
      // depend on the OS.
      Arrays.sort(children, Comparator.comparing(st -> st.getPath().getName()));
      for (FileStatus st : children) {
        if (isHidden(st.getPath().getName())) continue;
        if (st.isDirectory()) list(fs, st.getPath(), root, files, ancestors);
        else files.putIfAbsent(st.getPath().toString(), new Planned(st, idFor(root, st.getPath())));
      }
      ancestors.remove(ancestors.size() - 1);
    }

    private void skip(String counter, String why) {
      counters.merge(counter, 1L, Long::sum);
      skipped.add(why);
    }
  }

  /**
   * The directory with every symbolic link resolved: the local filesystem through java.nio, others
   * through Hadoop.
   */
  private static String realPath(FileSystem fs, Path dir) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      return java.nio.file.Paths.get(fs.makeQualified(dir).toUri()).toRealPath().toString();
    }
    return fs.resolvePath(dir).toString();
  }

  private static boolean isHidden(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) return true;
    }
    return false;
  }
}
