package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.pretrain.PretrainSettings;
import io.github.sparkgpt.jobs.pretrain.Trainer;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
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
    PretrainInput input = PretrainInput.read(data, storage, settings, hadoop);
    StoragePath target = StoragePath.of("--output", output);
    // Held to the end: a second run into this directory would interleave metrics and checkpoints
    // with this one.
    String leased =
        target.isLocal()
            ? target.local().toAbsolutePath().normalize().toString()
            : target.toString();
    try (RunLease lease = RunLease.acquire(leased, JOB, options.leasePolicy(), hadoop)) {
      return new PretrainRun(storage, hadoop, settings, input, target, output)
          .run(config, resume, options.master);
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
