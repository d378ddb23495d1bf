package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.layout.PretrainLayout;
import io.github.sparkgpt.jobs.report.ReportModel;
import io.github.sparkgpt.jobs.report.ReportSummary;
import io.github.sparkgpt.jobs.report.RunReport;
import io.github.sparkgpt.jobs.storage.ShownPaths;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One self-contained HTML report of a preprocess output, a pretraining run and task runs, on one
 * machine.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt report " + Versions.PROJECT,
    description = {
      "Writes one HTML file (no network needed: inline CSS, embedded plots) with any of:",
      "preprocessing statistics (stats.json, manifest.json), the pretraining curves and settings"
          + " (metrics.jsonl,",
      "config.conf, the newest checkpoint), samples generated from that checkpoint (seeded), and a"
          + " table of",
      "the task metrics of fine-tuning or few-shot runs (metrics.json with validation, test or"
          + " eval).",
      "Exit codes: 0 written, 1 failure while running, 2 bad usage or a missing artefact (named).",
      ""
    },
    footer = {
      "",
      "Example:",
      "  deploy/submit report --preprocess runs/demo/preprocess --pretrain runs/demo/pretrain \\",
      "      --finetune runs/demo/finetune/pretrained runs/demo/finetune/from-scratch --output"
          + " report.html"
    })
public final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--preprocess",
      paramLabel = "DIR",
      description = "A preprocess output directory (path or URI).")
  String preprocess;

  @Option(
      names = "--pretrain",
      paramLabel = "DIR",
      description = "A pretraining run directory (path or URI).")
  String pretrain;

  @Option(
      names = "--finetune",
      arity = "1..*",
      paramLabel = "DIR",
      description =
          "Fine-tuning or few-shot run directories, or directories of runs (repeatable; paths or"
              + " URIs).")
  List<String> finetune = new ArrayList<>();

  @Option(
      names = "--samples",
      paramLabel = "N",
      description =
          "Samples from the pretraining run's newest checkpoint. Default: 3 when it has one, else"
              + " 0.")
  Integer samples;

  @Option(
      names = "--prompt",
      paramLabel = "TEXT",
      description =
          "A prompt to continue (repeatable). Default: "
              + "\"The\", \"In the beginning\", \"It was a\".")
  List<String> prompts = new ArrayList<>();

  @Option(names = "--max-new-tokens", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
  int maxNewTokens = 48;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "0 = greedy. Default: ${DEFAULT-VALUE}.")
  double temperature = 0.8;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the first sample (+1 per sample). Default: ${DEFAULT-VALUE}.")
  long seed = 42;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "The HTML file to write (path or URI).")
  String output;

  @Option(
      names = "--summary",
      description =
          "Also print the headline numbers (documents, tokens, perplexity, task metrics).")
  boolean summary;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return JobRunner.execute("report", new ReportCommand(), args);
  }

  @Override
  public Integer call() throws IOException {
    try (Storage storage = new Storage()) {
      return call(storage);
    }
  }

  /**
   * Cluster inputs are read from copies on the driver (without shards or task models); a cluster
   * output is published.
   */
  private Integer call(Storage storage) throws IOException {
    ShownPaths shown = new ShownPaths();
    StoragePath preprocessAt = StoragePath.ofNullable("--preprocess", preprocess);
    Path preprocessDir =
        preprocess == null
            ? null
            : storage.directory("--preprocess", preprocessAt, f -> !f.contains("/"));
    shown.add(preprocessDir, preprocessAt);
    StoragePath pretrainAt = StoragePath.ofNullable("--pretrain", pretrain);
    Path pretrainDir = pretrain == null ? null : storage.pretrainRun("--pretrain", pretrainAt);
    shown.add(pretrainDir, pretrainAt);
    List<Path> taskDirs = new ArrayList<>();
    for (String f : finetune) {
      StoragePath at = StoragePath.of("--finetune", f);
      taskDirs.add(storage.taskRuns("--finetune", at));
      shown.add(taskDirs.get(taskDirs.size() - 1), at);
    }
    int n =
        samples != null
            ? samples
            : pretrainDir != null && PretrainLayout.latestCheckpoint(pretrainDir).isPresent()
                ? 3
                : 0;
    RunReport.Options o =
        new RunReport.Options()
            .setPreprocess(preprocessDir)
            .setPretrain(pretrainDir)
            .setTasks(taskDirs)
            .setSamples(n)
            .setMaxNewTokens(maxNewTokens)
            .setTemperature(temperature)
            .setSeed(seed);
    if (!prompts.isEmpty()) o.setPrompts(prompts);
    ReportModel model;
    try {
      model = RunReport.collect(o.validate());
    } catch (UsageException e) {
      throw new UsageException(
          shown.rewrite(e.getMessage())); // name the cluster file, not its local copy
    }
    StoragePath target = StoragePath.of("--output", output);
    Path written =
        RunReport.write(
            model,
            target.isLocal()
                ? target.local()
                : storage.scratch().newDirectory("report").resolve(RunReport.FILE));
    shown.rewrite(written);
    if (!target.isLocal()) storage.files().publishFile(written, target.hadoop());
    if (summary) System.out.print(ReportSummary.render(model));
    System.out.println("report: " + (target.isLocal() ? written : target));
    return JobRunner.OK;
  }
}
