package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.pretrain.PretrainData;
import io.github.sparkgpt.jobs.pretrain.PretrainSettings;
import io.github.sparkgpt.jobs.pretrain.RunDirectory;
import io.github.sparkgpt.jobs.pretrain.Trainer;
import io.github.sparkgpt.jobs.pretrain.TrainingData;
import io.github.sparkgpt.jobs.report.RunReport;
import io.github.sparkgpt.jobs.storage.PretrainStaging;
import io.github.sparkgpt.jobs.storage.ShownPaths;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * spark-submit entry point of the pretrain job: a preprocess output in, a run directory with
 * metrics, checkpoints and {@code _SUCCESS} out. Data-parallel training with DL4J's parameter
 * averaging (see {@link Trainer}).
 */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt pretrain " + Versions.PROJECT,
    description = {
      "Pretrains a GPT decoder on the shards of a preprocess output with Spark (DL4J parameter"
          + " averaging).",
      "The vocabulary comes from the data's tokenizer, the context from the data (or smaller).",
      "Writes metrics.jsonl, loss.png, perplexity.png, checkpoints/step-NNNNNN/ (model.zip with"
          + " Adam",
      "state, config.json, tokenizer.json, checkpoint.json), config.conf and _SUCCESS into the run"
          + " directory.",
      "",
      "Defaults: conf/pretrain.conf. Override with --conf FILE, --set key=value, or the options",
      "below. Exit codes: 0 success, 1 failure while running, 2 bad usage or data that does not"
          + " fit.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  deploy/submit pretrain --data out/pre --output runs/small --max-steps 500",
      "  deploy/submit pretrain --data out/pre --output runs/small --resume",
      "  deploy/submit pretrain --data out/pre --output runs/t --model tiny --set model.layers=3"
    })
public final class PretrainJob implements Callable<Integer> {
  static final String JOB = "pretrain";

  /** Samples from the final checkpoint in the run's report.html (a few seconds each on 2 cores). */
  private static final int REPORT_SAMPLES = 3;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "A preprocess output directory (path or URI).")
  String data;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Run directory: a local path or a URI (hdfs://, s3a://, file://); see README, Storage.")
  String output;

  @Option(
      names = "--resume",
      description = "Continue from the newest checkpoint in --output (fresh start if none).")
  boolean resume;

  @Option(
      names = "--model",
      paramLabel = "PRESET",
      description = "tiny, small or gpt1 (model.preset).")
  String model;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Passes over the training split (epochs).")
  Integer epochs;

  @Option(
      names = "--max-steps",
      paramLabel = "N",
      description = "Train this many steps instead of epochs (max_steps).")
  Long maxSteps;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      description = "Sequences per worker per step (batch_size).")
  Integer batchSize;

  @Option(
      names = "--learning-rate",
      paramLabel = "LR",
      description = "Adam peak learning rate (learning_rate).")
  Double learningRate;

  @Option(
      names = "--averaging-frequency",
      paramLabel = "N",
      description = "Steps between averaging (averaging_frequency).")
  Integer averagingFrequency;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Data-parallel workers; 0 = default parallelism (workers).")
  Integer workers;

  @Option(
      names = "--no-validation",
      description =
          "Train without validation loss (validation_sequences = 0); needed"
              + " for data whose validation split is empty.")
  boolean noValidation;

  @Option(
      names = "--stats",
      description =
          "Also write DL4J's Spark training timeline, training-stats.html (training_stats).")
  Boolean stats;

  @Mixin JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the job and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return JobRunner.execute(JOB, new PretrainJob(), args);
  }

  @Override
  public Integer call() throws IOException {
    try (Storage storage = new Storage()) {
      return call(storage);
    }
  }

  private Integer call(Storage storage) throws IOException {
    Config config = options.load(JOB, namedOptions(), PretrainSettings.optionalKeys());
    if (config == null) return JobRunner.OK; // --print-config
    // Everything that can be refused is refused before Spark starts.
    PretrainSettings settings = PretrainSettings.from(config);
    Configuration hadoop = new Configuration();
    // Executors resolve paths in their own working directory: give them an absolute, qualified one.
    org.apache.hadoop.fs.Path dataPath = new org.apache.hadoop.fs.Path(data);
    data = dataPath.getFileSystem(hadoop).makeQualified(dataPath).toString();
    storage
        .completeness()
        .requireOutput("--data", StoragePath.of("--data", data), "preprocess output");
    Manifest manifest = Manifest.read(data, hadoop);
    PretrainData.requireSequences(manifest, settings);
    Lineage lineage =
        new Lineage("pretrain")
            .withData(
                LineageFiles.sha256(
                    new org.apache.hadoop.fs.Path(data, Manifest.FILE).toString(), hadoop),
                data);
    byte[] tokenizer = new PretrainData(data, manifest, hadoop).readTokenizer();
    StoragePath target = StoragePath.of("--output", output);
    // Held to the end: a second run into this directory would interleave metrics and checkpoints
    // with this one.
    String leased =
        target.isLocal()
            ? target.local().toAbsolutePath().normalize().toString()
            : target.toString();
    try (RunLease lease = RunLease.acquire(leased, JOB, options.leasePolicy(), hadoop)) {
      return runLeased(storage, config, settings, hadoop, manifest, tokenizer, target, lineage);
    }
  }

  private Integer runLeased(
      Storage storage,
      Config config,
      PretrainSettings settings,
      Configuration hadoop,
      Manifest manifest,
      byte[] tokenizer,
      StoragePath target,
      Lineage lineage)
      throws IOException {
    PretrainStaging staging =
        new PretrainStaging(storage.output(target), settings.getKeepCheckpoints(), System.out);
    RunDirectory run = new RunDirectory(staging.local());
    if (!resume && (run.holdsRun() || staging.remoteHoldsRun())) {
      throw new UsageException(
          "--output "
              + output
              + " already holds a run: add --resume to continue it, or choose another directory");
    }
    Checkpoint resumeFrom = null;
    if (resume) {
      staging.removeHalfUploads();
      staging.downloadForResume();
      run.removeIncompleteCheckpoints()
          .forEach(what -> System.out.println("pretrain: --resume: " + what));
      Optional<Path> latest = run.latestCheckpoint();
      if (latest.isPresent()) {
        resumeFrom = ModelTools.load(latest.get());
        Object from =
            target.isLocal()
                ? latest.get()
                : target.resolve(run.path().relativize(latest.get()).toString());
        lineage.withParent(resumeFrom.digest(), from.toString());
        System.out.println(
            "pretrain: resuming from " + from + " (step " + resumeFrom.state().getStep() + ")");
      } else {
        System.out.println(
            "pretrain: --resume: no checkpoint in " + output + ", starting from scratch");
      }
    }
    GptConfig modelConfig =
        resumeFrom != null ? resumeFrom.config() : settings.modelConfig(manifest);
    PretrainData.checkFits(modelConfig, manifest, resumeFrom);

    List<int[]> validation =
        new PretrainData(data, manifest, hadoop)
            .validationSample(settings.getValidationSequences(), System.out);
    run.clearSuccess();
    if (resumeFrom != null) run.truncateMetricsAfter(resumeFrom.state().getStep());
    run.writeConfig(JobConfig.render(JOB, config));
    staging.started();

    SparkSession spark =
        SparkSessions.create("sparkgpt-pretrain", options.master, ParameterAveraging.sparkConf());
    try (TrainingData train =
        TrainingData.load(
            JavaSparkContext.fromSparkContext(spark.sparkContext()),
            data,
            manifest.splits.get("train").shards,
            manifest.contextLength,
            modelConfig.getContextLength())) {
      Trainer trainer =
          new Trainer(
                  settings,
                  modelConfig,
                  run,
                  tokenizer,
                  manifest.tokenizer.vocabSize,
                  validation,
                  System.out)
              .setListener(staging);
      trainer.setLineage(lineage);
      Trainer.Result r =
          trainer.train(JavaSparkContext.fromSparkContext(spark.sparkContext()), train, resumeFrom);
      run.markSuccess();
      String val =
          validation.isEmpty()
              ? "no validation"
              : String.format(
                  Locale.ROOT, "val loss %.4f -> %.4f", r.firstValLoss(), r.lastValLoss());
      System.out.printf(
          Locale.ROOT,
          "pretrain: done at step %d, %,d tokens seen; %s; %,.0f tokens/s; %s%n",
          r.step(),
          r.tokensSeen(),
          val,
          r.tokensPerSecond(),
          target);
      Path preprocessCopy = preprocessForReport(storage);
      if (RunReport.tryWrite(
          new RunReport.Options()
              .setPretrain(run.path())
              .setSamples(REPORT_SAMPLES)
              .setPreprocess(preprocessCopy),
          run.path().resolve(RunReport.FILE))) {
        new ShownPaths()
            .add(run.path(), target)
            .add(preprocessCopy, StoragePath.of("--data", data))
            .rewrite(run.path().resolve(RunReport.FILE));
      }
      staging.finished();
      return JobRunner.OK;
    } finally {
      spark.stop();
    }
  }

  /**
   * The data's stats.json and manifest.json on the driver (a copy for cluster data), or null: the
   * report is optional.
   */
  private Path preprocessForReport(Storage storage) {
    try {
      return storage.directory("--data", StoragePath.of("--data", data), f -> !f.contains("/"));
    } catch (RuntimeException e) {
      System.err.println("report: no preprocess section (" + e.getMessage() + ")");
      return null;
    }
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model.preset", model);
    m.put("epochs", epochs);
    m.put("max_steps", maxSteps);
    m.put("batch_size", batchSize);
    m.put("learning_rate", learningRate);
    m.put("averaging_frequency", averagingFrequency);
    m.put("workers", workers);
    m.put("training_stats", stats);
    if (noValidation) m.put("validation_sequences", 0);
    return m;
  }
}
