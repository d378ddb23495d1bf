package io.github.sparkgpt.jobs.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.layout.PretrainLayout;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A pretraining run on the driver's filesystem: {@code metrics.jsonl}, {@code config.conf}, {@code
 * checkpoints/step-NNNNNN/} (each written to a hidden temp directory, fsynced and renamed into
 * place, so a {@code step-*} directory is always complete) and {@code _SUCCESS}, written last.
 */
public final class RunDirectory {
  public static final String METRICS = PretrainLayout.METRICS;
  public static final String CONFIG = PretrainLayout.CONFIG;
  public static final String CHECKPOINTS = PretrainLayout.CHECKPOINTS;
  private static final String TMP_PREFIX = ".tmp-";
  private static final String OLD_PREFIX = ".old-";

  /**
   * The temp and moved-aside names saveCheckpoint uses: {@code .tmp-step-000040-<nanos>}, {@code
   * .old-...}.
   */
  private static final Pattern TMP_DIR = Pattern.compile("\\.tmp-step-\\d+-\\d+");

  private static final Pattern OLD_DIR = Pattern.compile("\\.old-(step-\\d+)-\\d+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final FileOps files;

  public RunDirectory(Path dir) {
    this(dir, DISK);
  }

  RunDirectory(Path dir, FileOps files) {
    this.dir = dir;
    this.files = files;
  }

  public Path path() {
    return dir;
  }

  /** True when the directory already holds (part of) a run: metrics or checkpoints. */
  public boolean holdsRun() {
    return Files.exists(dir.resolve(METRICS)) || !checkpointSteps().isEmpty();
  }

  /** Steps of the complete checkpoints, ascending. */
  public List<Long> checkpointSteps() {
    return PretrainLayout.checkpointSteps(dir);
  }

  public Path checkpointDir(long step) {
    return PretrainLayout.checkpointDir(dir, step);
  }

  public Optional<Path> latestCheckpoint() {
    return PretrainLayout.latestCheckpoint(dir);
  }

  /**
   * Writes {@code cp} as step-NNNNNN: into a hidden temp directory, every file and the directory
   * fsynced, then renamed into place; an existing step directory is moved aside first and deleted
   * only after its replacement is in place. Then keeps only the newest {@code keep}.
   */
  public Path saveCheckpoint(Checkpoint cp, long step, int keep) throws IOException {
    return saveCheckpoint(cp::save, step, keep);
  }

  /** Writes a checkpoint's files into the directory it is given. */
  interface CheckpointWriter {
    void writeInto(Path dir) throws IOException;
  }

  Path saveCheckpoint(CheckpointWriter writer, long step, int keep) throws IOException {
    Path target = checkpointDir(step);
    Path cps = target.getParent();
    String stamp = "-" + System.nanoTime();
    Path tmp = cps.resolve(TMP_PREFIX + target.getFileName() + stamp);
    writer.writeInto(tmp);
    syncTree(tmp);
    Path old = null;
    if (Files.exists(target)) {
      old = cps.resolve(OLD_PREFIX + target.getFileName() + stamp);
      files.move(target, old);
    }
    try {
      files.move(tmp, target);
    } catch (IOException e) {
      if (old != null) files.move(old, target);
      throw new IOException(
          "could not move checkpoint "
              + tmp
              + " into place ("
              + e.getMessage()
              + ")"
              + (old == null ? "" : "; the previous " + target.getFileName() + " is back in place"),
          e);
    }
    files.sync(cps);
    if (old != null) deleteTree(old);
    List<Long> steps = checkpointSteps();
    for (int i = 0; i < steps.size() - keep; i++) deleteTree(checkpointDir(steps.get(i)));
    return target;
  }

  /**
   * fsync every file under {@code dir}, then the directories, deepest first: the rename then
   * publishes data on disk.
   */
  private void syncTree(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) if (Files.isRegularFile(p)) files.sync(p);
    for (Path p : all) if (Files.isDirectory(p)) files.sync(p);
  }

  /** Appends one JSON object as a line (flushed at once, so a killed run keeps its metrics). */
  public void appendMetrics(Map<String, Object> record) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(METRICS),
        JSON.writeValueAsString(record) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /**
   * On resume: drops metrics of steps after the checkpoint, which the resumed run computes again.
   */
  public void truncateMetricsAfter(long step) throws IOException {
    Path f = dir.resolve(METRICS);
    if (!Files.exists(f)) return;
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      if (JSON.readTree(line).path("step").asLong() <= step) kept.add(line);
    }
    Files.write(f, kept, StandardCharsets.UTF_8);
  }

  public void writeConfig(String hocon) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(CONFIG), hocon);
  }

  public void markSuccess() throws IOException {
    Files.writeString(dir.resolve(OutputDirectory.SUCCESS), "");
  }

  public void clearSuccess() throws IOException {
    Files.deleteIfExists(dir.resolve(OutputDirectory.SUCCESS));
  }

  /**
   * After a kill while writing a checkpoint: removes this class's own temp directories ({@code
   * .tmp-step-N-T}), and for a step moved aside ({@code .old-step-N-T}) either deletes it (its
   * replacement is in place) or puts it back. Nothing else in {@code checkpoints/} is touched.
   * Returns what was done, one entry per directory.
   */
  public List<String> removeIncompleteCheckpoints() throws IOException {
    List<String> done = new ArrayList<>();
    Path cps = dir.resolve(CHECKPOINTS);
    if (!Files.isDirectory(cps)) return done;
    List<Path> entries;
    try (Stream<Path> s = Files.list(cps)) {
      entries = s.sorted().toList();
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      Matcher old = OLD_DIR.matcher(name);
      if (TMP_DIR.matcher(name).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(p);
        done.add("removed the partial checkpoint " + name);
      } else if (old.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Path target = cps.resolve(old.group(1));
        if (Files.exists(target)) {
          deleteTree(p);
          done.add("removed " + name + ", replaced by " + target.getFileName());
        } else {
          files.move(p, target);
          done.add("restored " + target.getFileName() + " from " + name);
        }
      }
    }
    return done;
  }

  /** The file operations a checkpoint save depends on (tests replace them to fail on purpose). */
  interface FileOps {
    void move(Path from, Path to) throws IOException;

    /** fsync a file or a directory. */
    void sync(Path p) throws IOException;
  }

  static final FileOps DISK =
      new FileOps() {
        @Override
        public void move(Path from, Path to) throws IOException {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void sync(Path p) throws IOException {
          try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
          }
        }
      };

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
    }
  }
}
