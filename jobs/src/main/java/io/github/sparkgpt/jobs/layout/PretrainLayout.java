package io.github.sparkgpt.jobs.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a pretraining run directory, for the job that writes it and for readers (report,
 * lineage): metrics.jsonl, config.conf, checkpoints/step-NNNNNN/ (only complete ones carry that
 * name) and _SUCCESS.
 */
public final class PretrainLayout {
  public static final String METRICS = "metrics.jsonl";
  public static final String CONFIG = "config.conf";
  public static final String CHECKPOINTS = "checkpoints";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

  private PretrainLayout() {}

  /** Steps of the complete checkpoints under {@code run}, ascending. */
  public static List<Long> checkpointSteps(Path run) {
    List<Long> steps = new ArrayList<>();
    Path cps = run.resolve(CHECKPOINTS);
    if (!Files.isDirectory(cps)) return steps;
    try (Stream<Path> s = Files.list(cps)) {
      s.forEach(
          p -> {
            Matcher m = STEP_DIR.matcher(p.getFileName().toString());
            if (m.matches() && Files.isDirectory(p)) steps.add(Long.parseLong(m.group(1)));
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    steps.sort(Comparator.naturalOrder());
    return steps;
  }

  public static Path checkpointDir(Path run, long step) {
    return run.resolve(CHECKPOINTS).resolve(String.format("step-%06d", step));
  }

  public static Optional<Path> latestCheckpoint(Path run) {
    List<Long> steps = checkpointSteps(run);
    return steps.isEmpty()
        ? Optional.empty()
        : Optional.of(checkpointDir(run, steps.get(steps.size() - 1)));
  }
}
