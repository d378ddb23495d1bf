package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.jobs.metrics.MetricsPlots;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupCosineSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The pretraining loop, the only place that talks to DL4J's Spark trainer. One iteration = one averaging round:
 * every worker fits {@code averaging_frequency} batches from the same parameters and Adam state, the driver averages
 * both ({@code saveUpdater(true)}), then logs, evaluates on a copy of the network and checkpoints.
 */
public final class Trainer {
  private final PretrainSettings settings;
  private final GptConfig model;
  private final RunDirectory run;
  private final byte[] tokenizer;
  private final int tokenizerVocabSize;
  private final List<int[]> validation;
  private final PrintStream log;
  private Lineage lineage = new Lineage("pretrain");
  private Listener listener = new Listener() {};

  /** Told when the run directory changed, e.g. to publish it to cluster storage (see jobs.storage.PretrainStaging). */
  public interface Listener {
    /** metrics.jsonl (and maybe the plots) changed. */
    default void metricsWritten() throws IOException {}

    /** A complete checkpoint directory was saved (and older ones may have been pruned). */
    default void checkpointSaved(java.nio.file.Path dir) throws IOException {}
  }

  public Trainer setListener(Listener l) {
    this.listener = l;
    return this;
  }

  public Trainer(PretrainSettings settings, GptConfig model, RunDirectory run, byte[] tokenizer, int tokenizerVocabSize,
                 List<int[]> validation, PrintStream log) {
    this.settings = settings;
    this.model = model;
    this.run = run;
    this.tokenizer = tokenizer;
    this.tokenizerVocabSize = tokenizerVocabSize;
    this.validation = validation;
    this.log = log;
  }

  /** What every checkpoint of this run records it came from (data manifest, resumed checkpoint). */
  public Trainer setLineage(Lineage l) {
    lineage = l;
    return this;
  }

  /** What a finished run reached. */
  public record Result(long step, long tokensSeen, double firstValLoss, double lastValLoss, double tokensPerSecond) {}

  /**
   * Trains from {@code resumeFrom} (or a fresh network when null) until the step budget is spent. The network is
   * always rebuilt with this run's schedule; a checkpoint contributes parameters, Adam state and counters.
   */
  public Result train(JavaSparkContext jsc, TrainingData data, Checkpoint resumeFrom) throws IOException {
    int workers = settings.getWorkers() > 0 ? settings.getWorkers() : jsc.defaultParallelism();
    int batch = settings.getBatchSize();
    long roundSize = (long) workers * batch * settings.getAveragingFrequency();
    long roundSeqs = data.roundSequences(roundSize);
    long stepsPerRound = ceilDiv(ceilDiv(roundSeqs, batch), workers);   // fits per worker each round
    long roundsPerEpoch = data.roundsPerEpoch(roundSize);
    long totalSteps = settings.getMaxSteps() > 0 ? settings.getMaxSteps()
        : settings.getEpochs() * roundsPerEpoch * stepsPerRound;
    long tokensPerRound = roundSeqs * model.getContextLength();
    WarmupCosineSchedule schedule = new WarmupCosineSchedule(settings.getLearningRate(), settings.getWarmupSteps(),
        totalSteps, settings.getMinLrRatio());

    ComputationGraph net = newNetwork(model, settings, schedule);
    TrainingState state = new TrainingState();
    if (resumeFrom != null) {
      ComputationGraph saved = resumeFrom.network();
      net.setParams(saved.params());
      if (saved.getUpdater() != null && saved.getUpdater().getStateViewArray() != null) {
        net.setUpdater(new ComputationGraphUpdater(net, saved.getUpdater().getStateViewArray().dup()));
      }
      state = resumeFrom.state();
    }
    long step = state.getStep();
    long tokens = state.getTokensSeen();
    double priorElapsed = state.getMetrics().getOrDefault("elapsed_s", 0.0);

    SparkComputationGraph spark = new SparkComputationGraph(jsc, net, trainingMaster(settings, workers));

    log.printf(Locale.ROOT, "pretrain: %,d parameters, %d workers x batch %d x T %d, averaging every %d steps; "
            + "%,d training sequences = %d rounds/epoch; %,d steps (from %,d)%n", model.parameterCount(), workers, batch,
        model.getContextLength(), settings.getAveragingFrequency(), data.count(), roundsPerEpoch, totalSteps, step);

    double firstVal = resumeFrom == null ? Double.NaN : state.getMetrics().getOrDefault("val_loss", Double.NaN);
    double lastVal = firstVal;
    long lastCheckpoint = resumeFrom == null ? -1 : step;
    long t0 = System.nanoTime();
    long tokensThisSession = 0;
    if (resumeFrom == null) {
      Map<String, Object> m = record(step, tokens, null, schedule.at(step), null, priorElapsed);
      firstVal = lastVal = evaluate(net, m);
      run.appendMetrics(m);
      plot();
      listener.metricsWritten();
      if (!validation.isEmpty()) log.printf(Locale.ROOT, "step %d: val loss %.4f (untrained)%n", step, firstVal);
    }
    while (step < totalSteps) {
      long roundIndex = step / stepsPerRound;
      int epoch = (int) (roundIndex / roundsPerEpoch);
      JavaRDD<DataSet> round = data.round(epoch, roundIndex % roundsPerEpoch, roundSize, batch, workers,
          settings.getSeed());
      // Workers restart their iteration count at 0 every round (see RoundAdam): the updater carries the step.
      roundAdam(net).setStepOffset((int) step);
      net.getConfiguration().setIterationCount(0);
      net.getConfiguration().setEpochCount(epoch);
      long r0 = System.nanoTime();
      spark.fit(round);
      double roundSecs = (System.nanoTime() - r0) / 1e9;
      long prev = step;
      step += stepsPerRound;
      tokens += tokensPerRound;
      tokensThisSession += tokensPerRound;
      double elapsed = priorElapsed + (System.nanoTime() - t0) / 1e9;
      double trainLoss = spark.getScore();
      Map<String, Object> m = record(step, tokens, trainLoss, schedule.at(prev), tokensPerRound / roundSecs, elapsed);
      boolean last = step >= totalSteps;
      if (crossed(prev, step, settings.getValidationInterval()) || last) {
        lastVal = evaluate(net, m);
      }
      run.appendMetrics(m);
      if (m.get("val_loss") != null || last) plot();
      listener.metricsWritten();
      double rate = tokensThisSession / ((System.nanoTime() - t0) / 1e9);
      double eta = (totalSteps - step) * (tokensPerRound / (double) stepsPerRound) / rate;
      log.printf(Locale.ROOT, "step %d/%d | epoch %d | loss %.4f%s | lr %.2e | %,.0f tok/s | elapsed %s | ETA %s%n",
          step, totalSteps, epoch + 1, trainLoss,
          m.get("val_loss") == null ? "" : String.format(Locale.ROOT, " | val %.4f ppl %.2f", m.get("val_loss"), m.get("val_perplexity")),
          schedule.at(prev), tokensPerRound / roundSecs, duration(elapsed), duration(Math.max(0, eta)));

      state = new TrainingState().setStep(step).setEpoch(epoch).setTokensSeen(tokens)
          .putMetric("train_loss", trainLoss).putMetric("learning_rate", schedule.at(prev)).putMetric("elapsed_s", elapsed);
      if (m.get("val_loss") != null) state.putMetric("val_loss", (Double) m.get("val_loss"));
      if (crossed(prev, step, settings.getCheckpointInterval()) || last) {
        checkpoint(net, state);
        lastCheckpoint = step;
      }
    }
    if (lastCheckpoint != step) checkpoint(net, state);      // resumed past the budget: the end state is on disk
    if (settings.isTrainingStats()) writeTrainingStats(spark);
    double secs = (System.nanoTime() - t0) / 1e9;
    return new Result(step, tokens, firstVal, lastVal, secs > 0 ? tokensThisSession / secs : 0);
  }

  public static final String TRAINING_STATS = "training-stats.html";
  private static final String TIME_SOURCE = "org.deeplearning4j.spark.time.TimeSource";

  /** DL4J's timeline of this session's rounds (broadcast, fit, aggregation per worker) as a self-contained page. */
  private void writeTrainingStats(SparkComputationGraph spark) {
    java.nio.file.Path target = run.path().resolve(TRAINING_STATS);
    java.nio.file.Path tmp = run.path().resolve("." + TRAINING_STATS + ".tmp");
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(tmp)) {
      StatsUtils.exportStatsAsHTML(spark.getSparkTrainingStats(), out);
    } catch (Exception e) {
      log.println("pretrain: no training stats page (" + e + ")");
      return;
    }
    try {
      java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      log.println("pretrain: Spark training stats: " + target);
    } catch (IOException e) {
      log.println("pretrain: no training stats page (" + e + ")");
    }
  }

  /** DL4J's parameter averaging as this trainer uses it (also used by the benchmarks). */
  public static ParameterAveragingTrainingMaster trainingMaster(PretrainSettings settings, int workers) {
    if (settings.isTrainingStats() && System.getProperty(TIME_SOURCE) == null) {
      // DL4J's default time source asks an NTP server: off-line (and in tests) use the local clock.
      System.setProperty(TIME_SOURCE, "org.deeplearning4j.spark.time.SystemClockTimeSource");
    }
    int batch = settings.getBatchSize();
    return new ParameterAveragingTrainingMaster.Builder(workers, batch)
        .batchSizePerWorker(batch)
        .averagingFrequency(settings.getAveragingFrequency())
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.NumPartitionsWorkersDiffers)   // rounds already come balanced on `workers`
        .rngSeed(settings.getSeed())
        .collectTrainingStats(settings.isTrainingStats())
        .build();
  }

  /** The network a fresh run starts from: the model with Adam on {@code schedule}, weight decay and clipping. */
  public static ComputationGraph newNetwork(GptConfig model, PretrainSettings settings, WarmupCosineSchedule schedule) {
    return GptModel.create(model, new RoundAdam(schedule), settings.getSeed(), DataType.FLOAT,
        settings.getWeightDecay(), settings.getGradientClip());
  }

  /** The updater configuration of the network's one layer, the object the workers' configuration is cloned from. */
  static RoundAdam roundAdam(ComputationGraph net) {
    return RoundAdam.of(net);
  }

  private void checkpoint(ComputationGraph net, TrainingState state) throws IOException {
    Checkpoint cp = new Checkpoint(net, tokenizer, tokenizerVocabSize, state).withLineage(lineage);
    java.nio.file.Path saved = run.saveCheckpoint(cp, state.getStep(), settings.getKeepCheckpoints());
    listener.checkpointSaved(saved);
    log.println("checkpoint: " + saved);
  }

  private boolean plotFailed;

  /** Redraws loss.png and perplexity.png; a machine that cannot draw (no fonts) loses the plots, not the run. */
  private void plot() {
    if (plotFailed) return;
    try {
      MetricsPlots.write(run.path());
    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
      plotFailed = true;
      log.println("pretrain: no plots (" + e + ")");
    }
  }

  /** Validation loss on the driver, on a copy: evaluating the training network itself breaks the next fit (DL4J M2). */
  private double evaluate(ComputationGraph net, Map<String, Object> m) {
    if (validation.isEmpty()) return Double.NaN;
    Inference.Perplexity p = new Inference(net.clone()).perplexity(validation);
    m.put("val_loss", p.meanNll());
    m.put("val_perplexity", p.perplexity());
    return p.meanNll();
  }

  private static Map<String, Object> record(long step, long tokens, Double trainLoss, double lr, Double tokPerS,
                                            double elapsed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", step);
    m.put("tokens_seen", tokens);
    m.put("train_loss", trainLoss);
    m.put("val_loss", null);
    m.put("val_perplexity", null);
    m.put("lr", lr);
    m.put("tokens_per_s", tokPerS);
    m.put("elapsed_s", elapsed);
    return m;
  }

  /** True when (prev, now] contains a multiple of interval. */
  static boolean crossed(long prev, long now, long interval) {
    return now / interval > prev / interval;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  static String duration(double secs) {
    long s = Math.round(secs);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
  }
}
