package io.github.sparkgpt.jobs.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.model.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * A pretraining run on the driver's filesystem: {@code metrics.jsonl}, {@code config.conf},
 * {@code checkpoints/step-NNNNNN/} (each written to a hidden temp directory and renamed into place, so a
 * {@code step-*} directory is always complete) and {@code _SUCCESS}, written last.
 */
public final class RunDirectory {
  public static final String METRICS = "metrics.jsonl";
  public static final String CONFIG = "config.conf";
  public static final String SUCCESS = "_SUCCESS";
  public static final String CHECKPOINTS = "checkpoints";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public RunDirectory(Path dir) {
    this.dir = dir;
  }

  public Path path() { return dir; }

  /** True when the directory already holds (part of) a run: metrics or checkpoints. */
  public boolean holdsRun() {
    return Files.exists(dir.resolve(METRICS)) || !checkpointSteps().isEmpty();
  }

  /** Steps of the complete checkpoints, ascending. */
  public List<Long> checkpointSteps() {
    List<Long> steps = new ArrayList<>();
    Path cps = dir.resolve(CHECKPOINTS);
    if (!Files.isDirectory(cps)) return steps;
    try (Stream<Path> s = Files.list(cps)) {
      s.forEach(p -> {
        Matcher m = STEP_DIR.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) steps.add(Long.parseLong(m.group(1)));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    steps.sort(Comparator.naturalOrder());
    return steps;
  }

  public Path checkpointDir(long step) {
    return dir.resolve(CHECKPOINTS).resolve(String.format("step-%06d", step));
  }

  public Optional<Path> latestCheckpoint() {
    List<Long> steps = checkpointSteps();
    return steps.isEmpty() ? Optional.empty() : Optional.of(checkpointDir(steps.get(steps.size() - 1)));
  }

  /** Writes {@code cp} as step-NNNNNN atomically (temp dir + rename), then keeps only the newest {@code keep}. */
  public Path saveCheckpoint(Checkpoint cp, long step, int keep) throws IOException {
    Path target = checkpointDir(step);
    Path tmp = dir.resolve(CHECKPOINTS).resolve(".tmp-" + target.getFileName() + "-" + System.nanoTime());
    cp.save(tmp);
    if (Files.exists(target)) deleteTree(target);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    List<Long> steps = checkpointSteps();
    for (int i = 0; i < steps.size() - keep; i++) deleteTree(checkpointDir(steps.get(i)));
    return target;
  }

  /** Appends one JSON object as a line (flushed at once, so a killed run keeps its metrics). */
  public void appendMetrics(Map<String, Object> record) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(METRICS), JSON.writeValueAsString(record) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** On resume: drops metrics of steps after the checkpoint, which the resumed run computes again. */
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
    Files.writeString(dir.resolve(SUCCESS), "");
  }

  public void clearSuccess() throws IOException {
    Files.deleteIfExists(dir.resolve(SUCCESS));
  }

  /** Removes temp directories left by a run killed while writing a checkpoint. */
  public void removeIncompleteCheckpoints() throws IOException {
    Path cps = dir.resolve(CHECKPOINTS);
    if (!Files.isDirectory(cps)) return;
    try (Stream<Path> s = Files.list(cps)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith(".tmp-")) deleteTree(p);
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
    }
  }
}
