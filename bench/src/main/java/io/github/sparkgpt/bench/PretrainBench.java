package io.github.sparkgpt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.sparkgpt.jobs.JobConfig;
import io.github.sparkgpt.jobs.SparkSessions;
import io.github.sparkgpt.jobs.pretrain.PretrainSettings;
import io.github.sparkgpt.jobs.pretrain.RunDirectory;
import io.github.sparkgpt.jobs.pretrain.Trainer;
import io.github.sparkgpt.jobs.pretrain.TrainingData;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.train.WarmupCosineSchedule;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Pretraining throughput on a preprocess output, in one JVM, through the job's own {@link Trainer}:
 *
 * <ol>
 *   <li>Spark overhead: the Trainer on local[1] (one worker, averaging every 20 steps) against
 *       plain {@code ComputationGraph.fit} on the very same batches (collected from the same
 *       rounds), same network and optimiser. Timed rounds follow one warm-up round; both sides run
 *       twice, alternating, and the better run of each counts (the machine is shared).
 *   <li>Averaging frequency 1, 5, 20 on local[2] (two workers): tokens/s and validation loss after
 *       the same number of steps (= the same tokens).
 * </ol>
 *
 * <pre>
 * bench/run PretrainBench [--data DIR] [--rounds N] [--steps N] [--only a|b] [--set key=value ...]
 *   defaults: --data data/pre-sotu --rounds 3 --steps 40, model small with the data's context</pre>
 *
 * Make the data with: deploy/submit preprocess --input data/corpora/sotu --output data/pre-sotu
 * --vocab-size 2048 --context-length 64
 */
public final class PretrainBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static byte[] tokenizer;

  public static void main(String[] args) throws Exception {
    String data = "data/pre-sotu";
    int rounds = 3;
    long steps = 40;
    String only = "";
    List<String> overrides = new ArrayList<>(List.of("model.preset=small", "batch_size=16"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = args[++i];
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Long.parseLong(args[++i]);
        case "--only" -> only = args[++i];
        case "--set" -> overrides.add(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Configuration hadoop = new Configuration();
    Manifest manifest = Manifest.read(data, hadoop);
    tokenizer = Files.readAllBytes(Path.of(data, manifest.tokenizer.file));
    System.out.printf(
        Locale.ROOT,
        "data: %s (vocab %d, context %d); %d cores; overrides %s%n",
        data,
        manifest.tokenizer.vocabSize,
        manifest.contextLength,
        Runtime.getRuntime().availableProcessors(),
        overrides);
    if (!only.equals("b")) sparkOverhead(data, manifest, overrides, rounds);
    if (!only.equals("a")) averagingFrequency(data, manifest, hadoop, overrides, steps);
  }

  static PretrainSettings settings(List<String> overrides, String... more) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(
        List.of(
            "validation_interval=1000000", "checkpoint_interval=1000000", "keep_checkpoints=1"));
    all.addAll(List.of(more));
    return PretrainSettings.from(
        JobConfig.load("pretrain", null, all, Map.of(), PretrainSettings.optionalKeys()));
  }

  static SparkSession spark(String master) {
    SparkConf conf =
        ParameterAveraging.sparkConf()
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1");
    SparkSession s = SparkSessions.create("pretrain-bench", master, conf);
    s.sparkContext().setLogLevel("ERROR");
    return s;
  }

  /** (a) Trainer on local[1] vs ComputationGraph.fit on the same batches. */
  static void sparkOverhead(String data, Manifest manifest, List<String> overrides, int rounds)
      throws Exception {
    int freq = 20;
    PretrainSettings s =
        settings(
            overrides,
            "workers=1",
            "averaging_frequency=" + freq,
            "max_steps=" + (long) (rounds + 1) * freq);
    GptConfig model = s.modelConfig(manifest);
    long roundSize = (long) s.getBatchSize() * freq;
    long tokensPerRound = roundSize * model.getContextLength();
    System.out.printf(
        Locale.ROOT,
        "%n(a) Spark overhead: %,d parameters, batch %d x T %d, 1 warm-up + %d timed rounds "
            + "of %d steps%n",
        model.parameterCount(),
        s.getBatchSize(),
        model.getContextLength(),
        rounds,
        freq);
    SparkSession spark = spark("local[1]");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (TrainingData train =
        TrainingData.load(
            jsc,
            data,
            manifest.splits.get("train").shards,
            manifest.contextLength,
            model.getContextLength())) {
      List<List<DataSet>> batches = new ArrayList<>();
      for (int r = 0; r <= rounds; r++)
        batches.add(train.round(0, r, roundSize, s.getBatchSize(), 1, s.getSeed()).collect());
      double bestSingle = 0, bestSpark = 0;
      for (int rep = 0; rep < 2; rep++) {
        // Single process: the same network, optimiser and schedule; fit each batch in turn.
        WarmupCosineSchedule schedule =
            new WarmupCosineSchedule(
                s.getLearningRate(), s.getWarmupSteps(), s.getMaxSteps(), s.getMinLrRatio());
        ComputationGraph net = Trainer.newNetwork(model, s, schedule);
        double secs = 0;
        for (int r = 0; r <= rounds; r++) {
          long t0 = System.nanoTime();
          for (DataSet b : batches.get(r)) net.fit(b);
          if (r > 0) secs += (System.nanoTime() - t0) / 1e9;
        }
        double single = rounds * tokensPerRound / secs;
        System.out.printf(
            Locale.ROOT,
            "  run %d: ComputationGraph.fit      %,8.0f tokens/s (score %.4f)%n",
            rep + 1,
            single,
            net.score());
        bestSingle = Math.max(bestSingle, single);

        Path dir = Files.createTempDirectory("pretrain-bench");
        Trainer.Result res =
            new Trainer(
                    s,
                    model,
                    new RunDirectory(dir),
                    tokenizer,
                    manifest.tokenizer.vocabSize,
                    List.of(),
                    quiet())
                .train(jsc, train, null);
        double sparkRate = timedRate(dir, 1);
        // One worker averaging with itself is plain training: both networks must score a batch the
        // same.
        DataSet probe = batches.get(0).get(0);
        ComputationGraph trained =
            Checkpoint.load(new RunDirectory(dir).latestCheckpoint().orElseThrow()).network();
        System.out.printf(
            Locale.ROOT,
            "  run %d: Trainer local[1], freq %d %,8.0f tokens/s (loss on batch 0: Spark %.4f,"
                + " single %.4f)%n",
            rep + 1,
            freq,
            sparkRate,
            trained.score(probe),
            net.score(probe));
        bestSpark = Math.max(bestSpark, sparkRate);
      }
      System.out.printf(
          Locale.ROOT,
          "(a) best: single %,.0f tokens/s, Spark %,.0f tokens/s: Spark is %.1f%% slower "
              + "(target <= 15%%)%n",
          bestSingle,
          bestSpark,
          100 * (bestSingle / bestSpark - 1));
    } finally {
      spark.stop();
    }
  }

  /** (b) averaging frequency 1, 5, 20 on local[2]; the same steps and tokens for each. */
  static void averagingFrequency(
      String data, Manifest manifest, Configuration hadoop, List<String> overrides, long steps)
      throws Exception {
    List<int[]> validation = new ArrayList<>();
    for (ShardInfo shard : manifest.splits.get("validation").shards) {
      if (validation.size() >= 64) break;
      validation.addAll(
          ShardReader.read(
              new org.apache.hadoop.fs.Path(data, shard.path()), hadoop, 64 - validation.size()));
    }
    SparkSession spark = spark("local[2]");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    PretrainSettings base = settings(overrides, "workers=2");
    GptConfig model = base.modelConfig(manifest);
    System.out.printf(
        Locale.ROOT,
        "%n(b) averaging frequency on local[2]: 2 workers x batch %d x T %d, %d steps "
            + "(%,d tokens) each, validation on %d sequences%n",
        base.getBatchSize(),
        model.getContextLength(),
        steps,
        2L * base.getBatchSize() * model.getContextLength() * steps,
        validation.size());
    try (TrainingData train =
        TrainingData.load(
            jsc,
            data,
            manifest.splits.get("train").shards,
            manifest.contextLength,
            model.getContextLength())) {
      // Warm-up (JIT, native libraries, Spark's first jobs); not reported.
      new Trainer(
              settings(overrides, "workers=2", "averaging_frequency=5", "max_steps=10"),
              model,
              new RunDirectory(Files.createTempDirectory("pretrain-bench")),
              tokenizer,
              manifest.tokenizer.vocabSize,
              List.of(),
              quiet())
          .train(jsc, train, null);
      for (int freq : new int[] {1, 5, 20}) {
        PretrainSettings s =
            settings(overrides, "workers=2", "averaging_frequency=" + freq, "max_steps=" + steps);
        Path dir = Files.createTempDirectory("pretrain-bench");
        Trainer.Result r =
            new Trainer(
                    s,
                    model,
                    new RunDirectory(dir),
                    tokenizer,
                    manifest.tokenizer.vocabSize,
                    validation,
                    quiet())
                .train(jsc, train, null);
        System.out.printf(
            Locale.ROOT,
            "  averaging every %2d steps: %,8.0f tokens/s, val loss %.4f -> %.4f after %,d "
                + "tokens%n",
            freq,
            timedRate(dir, 0),
            r.firstValLoss(),
            r.lastValLoss(),
            r.tokensSeen());
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * Tokens over seconds of the training rounds in metrics.jsonl (each round's tokens / its
   * tokens_per_s).
   */
  static double timedRate(Path run, int skipRounds) throws Exception {
    double tokens = 0, secs = 0;
    long prevTokens = 0;
    int round = 0;
    for (String line : Files.readAllLines(run.resolve(RunDirectory.METRICS))) {
      JsonNode n = JSON.readTree(line);
      long t = n.path("tokens_seen").asLong();
      if (n.path("tokens_per_s").isNumber()) {
        if (round++ >= skipRounds) {
          tokens += t - prevTokens;
          secs += (t - prevTokens) / n.path("tokens_per_s").asDouble();
        }
      }
      prevTokens = t;
    }
    return tokens / secs;
  }

  static double lastTrainLoss(Path run) throws Exception {
    List<String> lines = Files.readAllLines(run.resolve(RunDirectory.METRICS));
    return JSON.readTree(lines.get(lines.size() - 1)).path("train_loss").asDouble();
  }

  static PrintStream quiet() {
    return new PrintStream(java.io.OutputStream.nullOutputStream());
  }
}
