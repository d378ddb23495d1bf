package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.report.RunReport;
import io.github.sparkgpt.pipeline.Preprocessor;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * spark-submit entry point of the preprocess job: raw corpora in, Parquet training shards,
 * tokenizer, manifest, statistics and rejected documents out.
 */
@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt preprocess " + Versions.PROJECT,
    description = {
      "Raw corpora (text, JSONL, HTML, WARC, Parquet; .gz/.zst) in; Parquet training shards out.",
      "Stages: read, normalise, language, quality (Gopher, C4, FineWeb), PII, exact and",
      "near-duplicate removal, byte-level BPE tokenizer (trained or --tokenizer), packing.",
      "Writes shards, manifest.json, stats.json, summary.txt, tokenizer.json; every dropped",
      "document is kept under rejected/ with its stage and reason.",
      "",
      "Defaults: conf/preprocess.conf. Override with --conf FILE, --set key=value, or the",
      "options below. Exit codes: 0 success, 1 failure while running, 2 bad usage.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  deploy/submit preprocess --input data/corpora/sotu --output out/pre",
      "  spark-submit --class io.github.sparkgpt.jobs.PreprocessJob sparkgpt-jobs-app.jar \\",
      "      --input 's3a://bucket/crawl/*.warc.gz' --output s3a://bucket/pre \\",
      "      --set quality.c4.enabled=false"
    })
public final class PreprocessJob implements Callable<Integer> {
  static final String JOB = "preprocess";

  @Option(
      names = "--input",
      required = true,
      split = ",",
      paramLabel = "PATH",
      description =
          "Input files, directories or globs; repeat or comma-separate (any Hadoop filesystem"
              + " URI).")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Output directory.")
  String output;

  @Option(
      names = "--overwrite",
      description = "Replace an output directory that holds a complete run.")
  boolean overwrite;

  @Option(
      names = "--tokenizer",
      paramLabel = "FILE",
      description = "Use this tokenizer.json instead of training one (tokenizer.path).")
  String tokenizer;

  @Option(
      names = "--vocab-size",
      paramLabel = "N",
      description = "Vocabulary size of the trained tokenizer (tokenizer.vocab_size).")
  Integer vocabSize;

  @Option(
      names = "--context-length",
      paramLabel = "T",
      description = "Tokens per training sequence; rows hold T+1 (pack.context_length).")
  Integer contextLength;

  @Option(
      names = "--languages",
      split = ",",
      paramLabel = "CODE",
      description = "ISO 639-1 codes to keep (language.languages).")
  List<String> languages;

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      description =
          "Share held out for validation: documents, or sequence windows below"
              + " pack.window_split_below_documents (pack.validation_fraction).")
  Double validationFraction;

  @Option(
      names = "--format",
      paramLabel = "FMT",
      description =
          "Force the input format: auto, text, text_lines, jsonl, html, warc, parquet"
              + " (read.format).")
  String format;

  @Mixin JobOptions options = new JobOptions();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the job and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return JobRunner.execute(JOB, new PreprocessJob(), args);
  }

  @Override
  public Integer call() {
    Config config = options.load(JOB, namedOptions());
    if (config == null) return JobRunner.OK; // --print-config
    // Validate everything (options, thresholds, inputs, output) before paying for a Spark start.
    Preprocessor preprocessor =
        new Preprocessor(config).setEffectiveConfig(JobConfig.render(JOB, config));
    RunLease.Policy lease = options.leasePolicy();
    SparkSession spark = SparkSessions.create("sparkgpt-preprocess", options.master, null);
    try {
      Preprocessor.Result result = preprocessor.run(spark, inputs, output, overwrite, lease);
      System.out.println(result.summary());
      // A readable view of stats.json beside it (best effort; only for a local output directory).
      RunReport.localDirectory(output)
          .ifPresent(
              d ->
                  RunReport.tryWrite(
                      new RunReport.Options().setPreprocess(d), d.resolve(RunReport.FILE)));
      return JobRunner.OK;
    } finally {
      spark.stop();
    }
  }

  Map<String, Object> namedOptions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokenizer.path", tokenizer);
    m.put("tokenizer.vocab_size", vocabSize);
    m.put("pack.context_length", contextLength);
    m.put("language.languages", languages);
    m.put("pack.validation_fraction", validationFraction);
    m.put("read.format", format);
    return m;
  }
}
