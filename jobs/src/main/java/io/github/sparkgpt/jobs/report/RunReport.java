package io.github.sparkgpt.jobs.report;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.report.ReportModel.Pretrain;
import io.github.sparkgpt.jobs.report.ReportModel.Samples;
import io.github.sparkgpt.jobs.report.ReportModel.TaskRun;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An HTML report of a run: preprocessing statistics, pretraining curves and settings, generated
 * samples and task metrics, in one self-contained file. The jobs call {@link #write} at their end
 * so every run directory holds its own {@code report.html}; {@code deploy/submit report} combines
 * several runs.
 *
 * <pre>
 *   RunReport.write(new RunReport.Options().setPretrain(runDir).setSamples(3), runDir.resolve(RunReport.FILE));
 * </pre>
 */
public final class RunReport {
  public static final String FILE = "report.html";
  public static final List<String> DEFAULT_PROMPTS = List.of("The", "In the beginning", "It was a");

  private RunReport() {}

  /**
   * What goes into a report: any subset of the sections; samples need a pretraining run with a
   * checkpoint.
   */
  public static final class Options {
    private Path preprocess;
    private Path pretrain;
    private List<Path> tasks = new ArrayList<>();
    private int samples = 0;
    private List<String> prompts = DEFAULT_PROMPTS;
    private int maxNewTokens = 48;
    private double temperature = 0.8;
    private long seed = 42;

    public Path getPreprocess() {
      return preprocess;
    }

    /** A preprocess output directory (stats.json, manifest.json). */
    public Options setPreprocess(Path v) {
      preprocess = v;
      return this;
    }

    public Path getPretrain() {
      return pretrain;
    }

    /** A pretraining run directory (metrics.jsonl; config.conf and checkpoints/ when present). */
    public Options setPretrain(Path v) {
      pretrain = v;
      return this;
    }

    public List<Path> getTasks() {
      return tasks;
    }

    /** Fine-tuning or few-shot run directories (metrics.json), or directories holding such runs. */
    public Options setTasks(List<Path> v) {
      tasks = new ArrayList<>(v);
      return this;
    }

    public int getSamples() {
      return samples;
    }

    /** Samples generated from the pretraining run's newest checkpoint; 0 = none. */
    public Options setSamples(int v) {
      samples = v;
      return this;
    }

    public List<String> getPrompts() {
      return prompts;
    }

    public Options setPrompts(List<String> v) {
      prompts = List.copyOf(v);
      return this;
    }

    public int getMaxNewTokens() {
      return maxNewTokens;
    }

    public Options setMaxNewTokens(int v) {
      maxNewTokens = v;
      return this;
    }

    public double getTemperature() {
      return temperature;
    }

    public Options setTemperature(double v) {
      temperature = v;
      return this;
    }

    public long getSeed() {
      return seed;
    }

    public Options setSeed(long v) {
      seed = v;
      return this;
    }

    public Options validate() {
      if (preprocess == null && pretrain == null && tasks.isEmpty()) {
        throw new UsageException(
            "nothing to report: give at least one of --preprocess, --pretrain, --finetune");
      }
      if (samples < 0) throw new UsageException("--samples must be >= 0, got " + samples);
      if (samples > 0 && pretrain == null)
        throw new UsageException(
            "--samples " + samples + " needs --pretrain (its newest checkpoint generates them)");
      if (samples > 0 && prompts.isEmpty())
        throw new UsageException("--samples " + samples + " needs at least one --prompt");
      if (maxNewTokens < 1)
        throw new UsageException("--max-new-tokens must be >= 1, got " + maxNewTokens);
      if (temperature < 0)
        throw new UsageException("--temperature must be >= 0 (0 = greedy), got " + temperature);
      return this;
    }
  }

  /** Reads every artefact the options name (and generates the samples). */
  public static ReportModel collect(Options o) {
    o.validate();
    ReportModel.Preprocess preprocess =
        o.preprocess == null ? null : ArtefactReader.preprocess(o.preprocess);
    Pretrain pretrain = o.pretrain == null ? null : PretrainReader.pretrain(o.pretrain);
    List<TaskRun> tasks = new ArrayList<>();
    for (Path dir : o.tasks) tasks.addAll(TaskRunReader.taskRuns(dir));
    Samples samples = null;
    if (o.samples > 0) {
      if (pretrain.checkpoint() == null) {
        throw new UsageException(
            o.pretrain.resolve("checkpoints")
                + ": no checkpoint to generate samples from (use --samples 0)");
      }
      samples =
          ReportSamples.generate(
              pretrain.checkpoint(), o.prompts, o.samples, o.maxNewTokens, o.temperature, o.seed);
    }
    List<LineageChain.Row> lineage =
        LineageChain.of(o.preprocess, o.pretrain, LineageChain.runDirs(tasks));
    return new ReportModel(Instant.now(), preprocess, pretrain, samples, tasks, lineage);
  }

  /**
   * Collects, renders and writes the report to {@code output} (a temp file renamed into place);
   * returns it.
   */
  public static Path write(Options o, Path output) throws IOException {
    return write(collect(o), output);
  }

  /** Renders an already collected model (e.g. one also printed with {@link ReportSummary}). */
  public static Path write(ReportModel model, Path output) throws IOException {
    String html = ReportHtml.render(model);
    Path target = output.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.writeString(tmp, html, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /**
   * The local directory of a job's path argument ({@code /a/b}, {@code a/b} or {@code file:/a/b});
   * empty for other filesystems (hdfs:, s3a:), whose runs are reported after copying them with
   * {@code deploy/submit report}.
   */
  public static Optional<Path> localDirectory(String pathOrUri) {
    if (pathOrUri == null) return Optional.empty();
    if (pathOrUri.startsWith("file:")) return Optional.of(Path.of(URI.create(pathOrUri)));
    if (pathOrUri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) return Optional.empty();
    return Optional.of(Path.of(pathOrUri));
  }

  /**
   * For the end of a job: writes the report, or prints one line on stderr and returns false,
   * because a finished run must not fail over its report.
   */
  public static boolean tryWrite(Options o, Path output) {
    try {
      write(o, output);
      return true;
    } catch (Exception | LinkageError e) {
      System.err.println("report: not written to " + output + ": " + e.getMessage());
      return false;
    }
  }
}
