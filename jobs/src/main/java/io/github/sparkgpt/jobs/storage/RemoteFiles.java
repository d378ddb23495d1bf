package io.github.sparkgpt.jobs.storage;

import static io.github.sparkgpt.pipeline.write.OutputDirectory.SUCCESS;

import io.github.sparkgpt.pipeline.write.RenameIntoPlace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Copies between the driver's disk and a Hadoop filesystem, and commits by rename: a directory is
 * uploaded into a hidden temporary sibling and renamed into place, and {@code _SUCCESS} is written
 * after the rename. On object stores a rename is a copy, so only {@code _SUCCESS} tells a reader
 * that the copy finished (see {@link Completeness}).
 */
public final class RemoteFiles {

  private final Configuration conf;

  public RemoteFiles(Configuration conf) {
    this.conf = conf;
  }

  public Configuration conf() {
    return conf;
  }

  public FileSystem fs(org.apache.hadoop.fs.Path p) throws IOException {
    return p.getFileSystem(conf);
  }

  public boolean exists(org.apache.hadoop.fs.Path p) throws IOException {
    return fs(p).exists(p);
  }

  public boolean isFile(org.apache.hadoop.fs.Path p) throws IOException {
    FileSystem fs = fs(p);
    return fs.exists(p) && fs.getFileStatus(p).isFile();
  }

  public boolean isDirectory(org.apache.hadoop.fs.Path p) throws IOException {
    FileSystem fs = fs(p);
    return fs.exists(p) && fs.getFileStatus(p).isDirectory();
  }

  /** The entries of a directory (empty when it does not exist), sorted by name. */
  public List<FileStatus> list(org.apache.hadoop.fs.Path dir) throws IOException {
    FileSystem fs = fs(dir);
    if (!fs.exists(dir)) return List.of();
    List<FileStatus> out = new ArrayList<>(List.of(fs.listStatus(dir)));
    out.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    return out;
  }

  /**
   * Copies the tree under {@code src} into {@code dst} (created), keeping the files whose path
   * relative to {@code src} ('/'-separated) {@code include} accepts; directories are entered when
   * it accepts "dir/". Returns the number of files copied.
   */
  public int download(org.apache.hadoop.fs.Path src, Path dst, Predicate<String> include)
      throws IOException {
    return download(fs(src), src, dst, "", include);
  }

  private int download(
      FileSystem fs, org.apache.hadoop.fs.Path src, Path dst, String rel, Predicate<String> include)
      throws IOException {
    Files.createDirectories(dst);
    int n = 0;
    for (FileStatus st : fs.listStatus(src)) {
      String name = st.getPath().getName();
      String r = rel + name;
      if (st.isDirectory()) {
        if (include.test(r + "/"))
          n += download(fs, st.getPath(), dst.resolve(name), r + "/", include);
      } else if (include.test(r)) {
        try (InputStream in = fs.open(st.getPath())) {
          Files.copy(in, dst.resolve(name));
        }
        n++;
      }
    }
    return n;
  }

  /** Copies one file from the filesystem to {@code dst} (replaced). */
  public void downloadFile(org.apache.hadoop.fs.Path src, Path dst) throws IOException {
    Files.createDirectories(dst.toAbsolutePath().getParent());
    try (InputStream in = fs(src).open(src)) {
      Files.copy(in, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Publishes the local directory {@code src} as {@code target}: uploaded into a hidden sibling, an
   * existing target renamed aside, the upload renamed into place, the old copy deleted, then {@code
   * _SUCCESS} written when {@code markSuccess}. A local {@code _SUCCESS} is never uploaded with the
   * rest: it comes last, or not at all. A failure between the renames leaves one complete copy and
   * the message says where it is.
   */
  public void publishDirectory(Path src, org.apache.hadoop.fs.Path target, boolean markSuccess)
      throws IOException {
    target = clean(target);
    FileSystem fs = fs(target);
    org.apache.hadoop.fs.Path tmp = sibling(target, "tmp");
    upload(fs, src, tmp);
    replace(fs, tmp, target);
    if (markSuccess) markSuccess(target);
  }

  /**
   * Replaces the file {@code target} with the local {@code src}: uploaded to a hidden sibling, then
   * renamed.
   */
  public void publishFile(Path src, org.apache.hadoop.fs.Path target) throws IOException {
    target = clean(target);
    FileSystem fs = fs(target);
    org.apache.hadoop.fs.Path tmp = sibling(target, "tmp");
    try (InputStream in = Files.newInputStream(src);
        OutputStream out = fs.create(tmp, true)) {
      in.transferTo(out);
    }
    replace(fs, tmp, target);
  }

  public void markSuccess(org.apache.hadoop.fs.Path dir) throws IOException {
    fs(dir).create(new org.apache.hadoop.fs.Path(dir, SUCCESS), true).close();
  }

  public void clearSuccess(org.apache.hadoop.fs.Path dir) throws IOException {
    fs(dir).delete(new org.apache.hadoop.fs.Path(dir, SUCCESS), false);
  }

  public void delete(org.apache.hadoop.fs.Path p) throws IOException {
    fs(p).delete(p, true);
  }

  private static void upload(FileSystem fs, Path src, org.apache.hadoop.fs.Path dst)
      throws IOException {
    fs.mkdirs(dst);
    try (Stream<Path> s = Files.list(src)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        org.apache.hadoop.fs.Path d = new org.apache.hadoop.fs.Path(dst, name);
        if (Files.isDirectory(p)) {
          upload(fs, p, d);
        } else if (!name.equals(SUCCESS)) {
          try (InputStream in = Files.newInputStream(p);
              OutputStream out = fs.create(d, true)) {
            in.transferTo(out);
          }
        }
      }
    }
  }

  /**
   * Moves {@code tmp} to {@code target}: an existing target is renamed aside first and deleted
   * last.
   */
  private static void replace(
      FileSystem fs, org.apache.hadoop.fs.Path tmp, org.apache.hadoop.fs.Path target)
      throws IOException {
    if (!fs.exists(target)) fs.mkdirs(target.getParent());
    org.apache.hadoop.fs.Path old = RenameIntoPlace.move(fs, tmp, target, sibling(target, "old"));
    RenameIntoPlace.deleteAside(fs, old, target);
  }

  /** Without a trailing '/' (a URI of an existing directory has one), whose name would be empty. */
  static org.apache.hadoop.fs.Path clean(org.apache.hadoop.fs.Path p) {
    return new org.apache.hadoop.fs.Path(p.toString());
  }

  /** A hidden (dot-prefixed, so never listed as data) sibling of {@code p}. */
  static org.apache.hadoop.fs.Path sibling(org.apache.hadoop.fs.Path p, String kind) {
    p = clean(p);
    return new org.apache.hadoop.fs.Path(
        p.getParent(),
        "." + p.getName() + "." + kind + "-" + UUID.randomUUID().toString().substring(0, 8));
  }
}
