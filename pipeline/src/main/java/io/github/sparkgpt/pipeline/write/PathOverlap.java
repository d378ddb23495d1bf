package io.github.sparkgpt.pipeline.write;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whether an output directory would destroy an input: it equals, contains or lies inside one. Paths
 * are compared after qualifying them with their FileSystem (relative paths, {@code file:} vs plain
 * paths, {@code ..}); local paths are also canonicalised, so a symlink to the input is the input. A
 * glob input is compared through its root (the output must not contain it) and through every path
 * it matches.
 */
public final class PathOverlap {
  private PathOverlap() {}

  /**
   * One line describing the first conflict between {@code output} (qualified) and an input, if
   * there is one.
   */
  public static Optional<String> conflict(Path output, List<String> inputs, Configuration conf) {
    String out = comparable(output);
    for (String input : inputs) {
      try {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        List<Path> candidates = new ArrayList<>();
        if (isGlob(q)) {
          Path root = globRoot(q);
          if (contains(out, comparable(root)))
            return Optional.of(describe(output, "contains", input));
          FileStatus[] matches = fs.globStatus(q);
          if (matches != null) for (FileStatus m : matches) candidates.add(m.getPath());
        } else {
          candidates.add(q);
        }
        for (Path c : candidates) {
          String in = comparable(c);
          if (in.equals(out)) return Optional.of(describe(output, "is", input));
          if (contains(out, in)) return Optional.of(describe(output, "contains", input));
          if (contains(in, out)) return Optional.of(describe(output, "lies inside", input));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot resolve input " + input + ": " + e.getMessage(), e);
      }
    }
    return Optional.empty();
  }

  private static String describe(Path output, String relation, String input) {
    return "output "
        + output
        + " "
        + relation
        + " the input "
        + input
        + ": writing it would replace what the job reads; choose an output outside every input";
  }

  /**
   * scheme://authority/path with the path normalised; for local paths the canonical path (symlinks
   * resolved).
   */
  static String comparable(Path qualified) {
    URI u = qualified.toUri().normalize();
    String path = u.getPath();
    if ("file".equals(u.getScheme())) {
      try {
        path = new File(path).getCanonicalPath();
      } catch (IOException e) {
        // keep the normalised path: the comparison is then purely lexical
      }
    }
    if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
    return u.getScheme() + "://" + (u.getAuthority() == null ? "" : u.getAuthority()) + path;
  }

  /** True when {@code ancestor} is a proper ancestor of {@code path}. */
  static boolean contains(String ancestor, String path) {
    String prefix = ancestor.endsWith("/") ? ancestor : ancestor + "/";
    return path.length() > prefix.length() && path.startsWith(prefix);
  }

  static boolean isGlob(Path p) {
    return p.toUri().getPath().chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /** The deepest ancestor of a glob without glob characters. */
  static Path globRoot(Path p) {
    Path root = p;
    while (root.getParent() != null && isGlob(root)) root = root.getParent();
    return root;
  }
}
