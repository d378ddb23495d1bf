package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.decode.BatchDecoder;
import io.github.sparkgpt.jobs.decode.GenerationSettings;
import io.github.sparkgpt.jobs.decode.TextCompleter;
import io.github.sparkgpt.jobs.generate.GenerateRun;
import io.github.sparkgpt.jobs.task.Completion;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.decode.DecoderWeights;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Text generation from a checkpoint: one prompt on this machine, or a file of prompts on Spark. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    version = "sparkgpt generate " + Versions.PROJECT,
    description = {
      "Continues prompts with a checkpoint's model (KV cache): greedy (--temperature 0) or sampled",
      "with temperature, top-k and top-p; stops at <|endoftext|>, at a --stop string (not kept) or",
      "after --max-new-tokens. Seeded: each prompt draws from its own Random(seed). A prompt keeps",
      "its last max(context - max-new-tokens, context / 2) tokens; generation stops when the",
      "context is full.",
      "--prompt TEXT: prints prompt + completion (no Spark).",
      "--input FILE --output DIR: Spark batch generation. Rows of a JSON-lines (or .parquet) file"
          + " are",
      "spread over the executors (the weights broadcast once); DIR/completions/ holds every row"
          + " with",
      "a prompt plus 'completion' and 'finish_reason' columns (stop: it ended at <|endoftext|>",
      "or a --stop string; length: cut at --max-new-tokens or a full context; JSON lines, or",
      "Parquet with --format parquet), DIR/rejected/",
      "the rows without one (reason missing_prompt), DIR/generation.json the counts (rows in =",
      "written + quarantined); DIR is committed by rename with _SUCCESS, and an existing complete"
          + " DIR",
      "or one overlapping the input is refused. Exit codes: 0 success, 1 failure, 2 usage error."
    })
public final class GenerateCommand implements Callable<Integer> {
  private static final GenerationSettings DEFAULTS = new GenerationSettings();

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "DIR",
      description = "A checkpoint directory (path or URI).")
  String checkpoint;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--prompt", paramLabel = "TEXT", description = "The text to continue.")
    String prompt;

    @Option(
        names = "--input",
        paramLabel = "FILE",
        description = "Prompts, one JSON object a line.")
    String input;
  }

  @Option(names = "--output", paramLabel = "DIR", description = "With --input: where to write.")
  String output;

  @Option(names = "--prompt-column", paramLabel = "NAME", description = "Default: prompt.")
  String promptColumn = "prompt";

  @Option(
      names = "--id-column",
      paramLabel = "NAME",
      description = "Checked to exist; every column is kept in the output anyway.")
  String idColumn = "";

  @Option(names = "--format", paramLabel = "jsonl|parquet", description = "Default: jsonl.")
  String format = "jsonl";

  @Option(names = "--max-new-tokens", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
  int maxNewTokens = DEFAULTS.getMaxNewTokens();

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "0 = greedy. Default: ${DEFAULT-VALUE}.")
  double temperature = DEFAULTS.getTemperature();

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "Keep the K most likely tokens; 0 = all. Default: ${DEFAULT-VALUE}.")
  int topK = DEFAULTS.getTopK();

  @Option(
      names = "--top-p",
      paramLabel = "P",
      description = "Nucleus sampling mass. Default: ${DEFAULT-VALUE}.")
  double topP = DEFAULTS.getTopP();

  @Option(names = "--seed", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
  long seed = DEFAULTS.getSeed();

  @Option(
      names = "--stop",
      paramLabel = "TEXT",
      description = "Ends a completion where this text appears (repeatable; not included).")
  List<String> stop = new ArrayList<>();

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Prompts decoded together. Default: ${DEFAULT-VALUE}.")
  int batchSize = DEFAULTS.getBatchSize();

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (with --input).")
  String master;

  public static void main(String[] args) {
    System.exit(JobRunner.execute("generate", new GenerateCommand(), args));
  }

  @Override
  public Integer call() {
    GenerationSettings settings = settings();
    if (source.input != null && output == null)
      throw new UsageException("--input needs --output DIR");
    if (!format.equals("jsonl") && !format.equals("parquet"))
      throw new UsageException("--format must be jsonl or parquet, got " + format);
    Checkpoint cp = ModelTools.loadLanguageModel(checkpoint);
    BpeTokenizer tokenizer = ModelTools.tokenizer(cp, checkpoint);
    DecoderWeights weights = DecoderWeights.of(cp.network());
    return source.prompt != null
        ? one(new TextCompleter(weights, tokenizer, settings))
        : batch(weights, tokenizer, settings);
  }

  private GenerationSettings settings() {
    try {
      return new GenerationSettings()
          .setMaxNewTokens(maxNewTokens)
          .setTemperature(temperature)
          .setTopK(topK)
          .setTopP(topP)
          .setSeed(seed)
          .setStop(stop)
          .setBatchSize(batchSize)
          .validate();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private int one(TextCompleter completer) {
    long t0 = System.nanoTime();
    Completion completion = completer.completions(List.of(source.prompt)).get(0);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.println(source.prompt + completion.text());
    System.err.printf(
        Locale.ROOT, "generate: %.1f s, finish_reason %s%n", s, completion.finish().label());
    return JobRunner.OK;
  }

  private int batch(DecoderWeights weights, BpeTokenizer tokenizer, GenerationSettings settings) {
    SparkSession spark = SparkSessions.create("sparkgpt generate", master, null);
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      BatchDecoder decoder = new BatchDecoder(jsc, weights, tokenizer, settings);
      String sparkFormat = format.equals("jsonl") ? "json" : "parquet";
      GenerateRun.Counts c =
          GenerateRun.run(
              spark, source.input, output, promptColumn, idColumn, sparkFormat, decoder);
      System.out.printf(
          Locale.ROOT,
          "generate: %d rows in, %d written, %d quarantined (%s) -> %s%n",
          c.in(),
          c.written(),
          c.quarantined(),
          GenerateRun.MISSING_PROMPT,
          output);
      return JobRunner.OK;
    } finally {
      spark.stop();
    }
  }
}
