package io.github.sparkgpt.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.layout.PretrainLayout;
import io.github.sparkgpt.jobs.layout.TaskRunLayout;
import io.github.sparkgpt.jobs.metrics.RunMetrics;
import io.github.sparkgpt.jobs.metrics.RunMetricsJson;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The chain from raw input to the last model, by content hash: the preprocess output (sha256 of
 * manifest.json and the inputs it names), each pretraining checkpoint (its digest, the data
 * manifest and checkpoint it came from), and each task run (the checkpoint it started from, its
 * task files and, for fine-tuning, its model). Each link is checked against the artefacts in the
 * same report.
 */
public final class LineageChain {
  /** Hashes are shown shortened to this many hex digits. */
  public static final int SHORT = 12;

  private static final ObjectMapper JSON = new ObjectMapper();

  private LineageChain() {}

  /** One artefact: what it is, where, its hash, what it came from, and whether the link holds. */
  public record Row(String artefact, String path, String sha256, String cameFrom, String check) {}

  public static List<Row> of(Path preprocess, Path pretrain, List<Path> taskRunDirs) {
    List<Row> rows = new ArrayList<>();
    String manifestSha = null;
    if (preprocess != null && Files.isRegularFile(preprocess.resolve(ArtefactReader.MANIFEST))) {
      rows.add(rawInput(preprocess));
      manifestSha = sha256(preprocess.resolve(ArtefactReader.MANIFEST));
      rows.add(
          new Row(
              "preprocess output",
              preprocess.toString(),
              manifestSha,
              "raw input",
              "manifest.json"));
    }
    Map<String, String> checkpoints =
        new LinkedHashMap<>(); // digest -> name, to match the links below
    if (pretrain != null) {
      for (long step : PretrainLayout.checkpointSteps(pretrain)) {
        rows.add(
            checkpoint(PretrainLayout.checkpointDir(pretrain, step), manifestSha, checkpoints));
      }
    }
    for (Path runDir : taskRunDirs) rows.add(taskRun(runDir, checkpoints, pretrain != null));
    return rows;
  }

  /** The inputs the preprocess output's manifest names: paths only, it records no hashes. */
  private static Row rawInput(Path preprocess) {
    JsonNode manifest = json(preprocess.resolve(ArtefactReader.MANIFEST));
    List<String> inputs = new ArrayList<>();
    manifest.path("inputs").forEach(n -> inputs.add(n.asText()));
    return new Row(
        "raw input",
        String.join(", ", inputs),
        "",
        "",
        "paths only (manifest.json lists no hashes)");
  }

  /**
   * A pretraining checkpoint's row: its data (checked against this report's preprocess output, when
   * there is one) and the checkpoint it resumed from (checked against the earlier ones). Adds the
   * checkpoint to {@code checkpoints} (digest -> name) first.
   */
  private static Row checkpoint(Path dir, String manifestSha, Map<String, String> checkpoints) {
    String digest = digest(dir);
    checkpoints.put(digest, dir.getFileName().toString());
    JsonNode lineage = json(dir.resolve(Checkpoint.META)).path("lineage");
    List<String> from = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    String data = lineage.path("data_manifest_sha256").asText("");
    if (!data.isEmpty()) {
      from.add("data " + shorten(data));
      if (manifestSha != null)
        checks.add(
            data.equals(manifestSha)
                ? "data = preprocess output"
                : "data is NOT this preprocess output");
    } else {
      from.add("data not recorded");
    }
    String parent = lineage.path("parent_checkpoint_sha256").asText("");
    if (!parent.isEmpty()) {
      from.add("resumed from " + shorten(parent));
      checks.add(
          checkpoints.containsKey(parent)
              ? "parent = " + checkpoints.get(parent)
              : "parent not kept");
    }
    checks.add(0, verification(dir));
    return new Row(
        "checkpoint " + dir.getFileName(),
        dir.toString(),
        digest,
        String.join("; ", from),
        String.join("; ", checks));
  }

  /**
   * A task run's row: the checkpoint it started from (checked against this report's checkpoints),
   * its files, its model.
   */
  private static Row taskRun(Path runDir, Map<String, String> checkpoints, boolean withPretrain) {
    RunMetrics metrics = metrics(runDir);
    RunMetrics.Lineage lineage = metrics.lineage();
    String kind = metrics.kind() != null ? metrics.kind() : "task run";
    List<String> from = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    String start =
        lineage == null || lineage.checkpointSha256() == null ? "" : lineage.checkpointSha256();
    if (start.isEmpty()) {
      from.add("checkpoint not recorded");
    } else {
      from.add("checkpoint " + shorten(start));
      checks.add(
          checkpoints.containsKey(start)
              ? "checkpoint = " + checkpoints.get(start)
              : withPretrain
                  ? "checkpoint is NOT from this pretraining run"
                  : "checkpoint not in this report");
    }
    if (lineage != null && lineage.taskFilesSha256() != null) {
      lineage.taskFilesSha256().forEach((split, sha) -> from.add(split + " " + shorten(sha)));
    }
    Path model = runDir.resolve(TaskRunLayout.MODEL);
    String sha = "";
    if (Files.isRegularFile(model.resolve(Checkpoint.META))) {
      sha = digest(model);
      checks.add(0, verification(model));
    }
    return new Row(
        kind + " " + runDir.getFileName(),
        runDir.toString(),
        sha,
        String.join("; ", from),
        String.join("; ", checks));
  }

  /**
   * The task run directories of the report's --finetune arguments (a run, or a directory of runs).
   */
  static List<Path> runDirs(List<ReportModel.TaskRun> runs) {
    return runs.stream().map(ReportModel.TaskRun::dir).collect(Collectors.toList());
  }

  public static String shorten(String sha) {
    return sha.length() > SHORT ? sha.substring(0, SHORT) : sha;
  }

  private static String verification(Path checkpointDir) {
    try {
      return Checkpoint.verify(checkpointDir)
          ? "files match checkpoint.json"
          : "no digests (older checkpoint)";
    } catch (IOException e) {
      return "CHANGED: " + e.getMessage();
    }
  }

  private static String digest(Path checkpointDir) {
    try {
      return Checkpoint.digest(checkpointDir);
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  private static String sha256(Path file) {
    try {
      return FileDigests.sha256(file);
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /** The run's metrics (any layout); an unreadable file records nothing. */
  private static RunMetrics metrics(Path runDir) {
    try {
      return RunMetricsJson.read(
          runDir.resolve(TaskRunLayout.METRICS), runDir.resolve(TaskRunLayout.LABELS));
    } catch (IOException e) {
      return new RunMetrics(
          0, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
  }

  private static JsonNode json(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
