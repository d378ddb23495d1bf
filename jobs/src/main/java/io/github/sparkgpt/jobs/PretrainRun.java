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
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One pretraining run in its leased run directory: the {@code --resume} hand-over, the run's files,
 * training on Spark, the closing summary line and report.html.
 */
final class PretrainRun {
  /** Samples from the final checkpoint in the run's report.html (a few seconds each on 2 cores). */
  private static final int REPORT_SAMPLES = 3;

  private final Storage storage;
  private final Configuration hadoop;
  private final PretrainSettings settings;
  private final PretrainInput input;
  private final StoragePath target;

  /** {@code --output} as the user gave it, for messages. */
  private final String output;

  private final PretrainStaging staging;
  private final RunDirectory run;

  /** Stages the run directory {@code target} (a local working copy for cluster storage). */
  PretrainRun(
      Storage storage,
      Configuration hadoop,
      PretrainSettings settings,
      PretrainInput input,
      StoragePath target,
      String output)
      throws IOException {
    this.storage = storage;
    this.hadoop = hadoop;
    this.settings = settings;
    this.input = input;
    this.target = target;
    this.output = output;
    this.staging =
        new PretrainStaging(storage.output(target), settings.getKeepCheckpoints(), System.out);
    this.run = new RunDirectory(staging.local());
  }

  /** Trains into the run directory, or continues its run with {@code resume}; the exit code. */
  int run(Config config, boolean resume, String master) throws IOException {
    if (!resume && (run.holdsRun() || staging.remoteHoldsRun())) {
      throw new UsageException(
          "--output "
              + output
              + " already holds a run: add --resume to continue it, or choose another directory");
    }
    Checkpoint resumeFrom = resume ? resumeFrom() : null;
    GptConfig modelConfig =
        resumeFrom != null ? resumeFrom.config() : settings.modelConfig(input.manifest());
    PretrainData.checkFits(modelConfig, input.manifest(), resumeFrom);

    List<int[]> validation =
        new PretrainData(input.data(), input.manifest(), hadoop)
            .validationSample(settings.getValidationSequences(), System.out);
    run.clearSuccess();
    if (resumeFrom != null) run.truncateMetricsAfter(resumeFrom.state().getStep());
    run.writeConfig(JobConfig.render(PretrainJob.JOB, config));
    staging.started();
    return train(master, modelConfig, validation, resumeFrom);
  }

  /**
   * {@code --resume}: the newest complete checkpoint (copied back from cluster storage), recorded
   * as the run's parent; null when there is none and the run starts from scratch.
   */
  private Checkpoint resumeFrom() throws IOException {
    staging.removeHalfUploads();
    staging.downloadForResume();
    run.removeIncompleteCheckpoints()
        .forEach(what -> System.out.println("pretrain: --resume: " + what));
    Optional<Path> latest = run.latestCheckpoint();
    if (latest.isEmpty()) {
      System.out.println(
          "pretrain: --resume: no checkpoint in " + output + ", starting from scratch");
      return null;
    }
    Checkpoint resumeFrom = ModelTools.load(latest.get());
    Object from =
        target.isLocal()
            ? latest.get()
            : target.resolve(run.path().relativize(latest.get()).toString());
    input.lineage().withParent(resumeFrom.digest(), from.toString());
    System.out.println(
        "pretrain: resuming from " + from + " (step " + resumeFrom.state().getStep() + ")");
    return resumeFrom;
  }

  private int train(
      String master, GptConfig modelConfig, List<int[]> validation, Checkpoint resumeFrom)
      throws IOException {
    SparkSession spark =
        SparkSessions.create("sparkgpt-pretrain", master, ParameterAveraging.sparkConf());
    try (TrainingData train =
        TrainingData.load(
            JavaSparkContext.fromSparkContext(spark.sparkContext()),
            input.data(),
            input.manifest().splits.get("train").shards,
            input.manifest().contextLength,
            modelConfig.getContextLength())) {
      Trainer trainer =
          new Trainer(
                  settings,
                  modelConfig,
                  run,
                  input.tokenizer(),
                  input.manifest().tokenizer.vocabSize,
                  validation,
                  System.out)
              .setListener(staging);
      trainer.setLineage(input.lineage());
      Trainer.Result r =
          trainer.train(JavaSparkContext.fromSparkContext(spark.sparkContext()), train, resumeFrom);
      run.markSuccess();
      printSummary(r, validation);
      writeReport();
      staging.finished();
      return JobRunner.OK;
    } finally {
      spark.stop();
    }
  }

  private void printSummary(Trainer.Result r, List<int[]> validation) {
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
  }

  /** report.html in the run directory, its paths shown as the user gave them; optional. */
  private void writeReport() throws IOException {
    Path preprocessCopy = preprocessForReport();
    if (RunReport.tryWrite(
        new RunReport.Options()
            .setPretrain(run.path())
            .setSamples(REPORT_SAMPLES)
            .setPreprocess(preprocessCopy),
        run.path().resolve(RunReport.FILE))) {
      new ShownPaths()
          .add(run.path(), target)
          .add(preprocessCopy, StoragePath.of("--data", input.data()))
          .rewrite(run.path().resolve(RunReport.FILE));
    }
  }

  /**
   * The data's stats.json and manifest.json on the driver (a copy for cluster data), or null: the
   * report is optional.
   */
  private Path preprocessForReport() {
    try {
      return storage.directory(
          "--data", StoragePath.of("--data", input.data()), f -> !f.contains("/"));
    } catch (RuntimeException e) {
      System.err.println("report: no preprocess section (" + e.getMessage() + ")");
      return null;
    }
  }
}
