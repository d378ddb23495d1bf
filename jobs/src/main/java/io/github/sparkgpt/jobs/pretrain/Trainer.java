package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.jobs.metrics.MetricsPlots;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.jobs.train.RoundListener.RoundResult;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.Inference;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.TrainingState;
import io.github.sparkgpt.model.train.RoundAdam;
import io.github.sparkgpt.model.train.WarmupCosineSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The pretraining loop on {@link ParameterAveraging}: after every averaging round it logs,
 * evaluates on a copy of the network and checkpoints.
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

  /**
   * Told when the run directory changed, e.g. to publish it to cluster storage (see
   * jobs.storage.PretrainStaging).
   */
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

  public Trainer(
      PretrainSettings settings,
      GptConfig model,
      RunDirectory run,
      byte[] tokenizer,
      int tokenizerVocabSize,
      List<int[]> validation,
      PrintStream log) {
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
  public record Result(
      long step,
      long tokensSeen,
      double firstValLoss,
      double lastValLoss,
      double tokensPerSecond) {}

  /** Where a run stands between rounds. */
  private static final class Progress {
    long step, tokens, tokensThisSession, lastCheckpoint;
    double priorElapsed, firstVal, lastVal;
    TrainingState state;
    final long t0 = System.nanoTime();
  }

  /**
   * Trains from {@code resumeFrom} (or a fresh network when null) until the step budget is spent.
   * The network is always rebuilt with this run's schedule; a checkpoint contributes parameters,
   * Adam state and counters.
   */
  public Result train(JavaSparkContext jsc, TrainingData data, Checkpoint resumeFrom)
      throws IOException {
    int workers = settings.getWorkers() > 0 ? settings.getWorkers() : jsc.defaultParallelism();
    RoundPlan plan = RoundPlan.of(settings, workers, model.getContextLength(), data);
    WarmupCosineSchedule schedule =
        new WarmupCosineSchedule(
            settings.getLearningRate(),
            settings.getWarmupSteps(),
            plan.totalSteps(),
            settings.getMinLrRatio());
    ComputationGraph net = newNetwork(model, settings, schedule);
    Progress p = new Progress();
    p.state = resumeFrom == null ? new TrainingState() : resume(net, resumeFrom);
    p.step = p.state.getStep();
    p.tokens = p.state.getTokensSeen();
    p.priorElapsed = p.state.getMetrics().getOrDefault("elapsed_s", 0.0);
    p.firstVal =
        p.lastVal =
            resumeFrom == null
                ? Double.NaN
                : p.state.getMetrics().getOrDefault("val_loss", Double.NaN);
    p.lastCheckpoint = resumeFrom == null ? -1 : p.step;

    ParameterAveraging averaging = new ParameterAveraging(jsc, net, plan.averaging());
    log.printf(
        Locale.ROOT,
        "pretrain: %,d parameters, %d workers x batch %d x T %d, averaging every %d steps; "
            + "%,d training sequences = %d rounds/epoch; %,d steps (from %,d)%n",
        model.parameterCount(),
        workers,
        settings.getBatchSize(),
        model.getContextLength(),
        settings.getAveragingFrequency(),
        data.count(),
        plan.roundsPerEpoch(),
        plan.totalSteps(),
        p.step);
    if (resumeFrom == null) {
      Map<String, Object> m =
          record(p.step, p.tokens, null, schedule.at(p.step), null, p.priorElapsed);
      p.firstVal = p.lastVal = evaluate(net, m);
      run.appendMetrics(m);
      plot();
      listener.metricsWritten();
      if (!validation.isEmpty())
        log.printf(Locale.ROOT, "step %d: val loss %.4f (untrained)%n", p.step, p.firstVal);
    }
    averaging.run(plan.rounds(data), p.step, r -> afterRound(net, plan, schedule, p, r));
    if (p.lastCheckpoint != p.step)
      checkpoint(net, p.state); // resumed past the budget: the end state is on disk
    if (settings.isTrainingStats()) writeTrainingStats(averaging);
    double secs = (System.nanoTime() - p.t0) / 1e9;
    return new Result(
        p.step, p.tokens, p.firstVal, p.lastVal, secs > 0 ? p.tokensThisSession / secs : 0);
  }

  /** Parameters and Adam state of {@code from} into {@code net}; returns its counters. */
  private static TrainingState resume(ComputationGraph net, Checkpoint from) throws IOException {
    ComputationGraph saved = from.network();
    net.setParams(saved.params());
    if (saved.getUpdater() != null && saved.getUpdater().getStateViewArray() != null) {
      net.setUpdater(
          new ComputationGraphUpdater(net, saved.getUpdater().getStateViewArray().dup()));
    }
    return from.state();
  }

  /** One round's metrics line, validation, log line and checkpoint. */
  private void afterRound(
      ComputationGraph net,
      RoundPlan plan,
      WarmupCosineSchedule schedule,
      Progress p,
      RoundResult r)
      throws IOException {
    long tokensPerRound = plan.tokensPerRound();
    p.step = r.step();
    p.tokens += tokensPerRound;
    p.tokensThisSession += tokensPerRound;
    double elapsed = p.priorElapsed + (System.nanoTime() - p.t0) / 1e9;
    double lr = schedule.at(r.fromStep());
    Map<String, Object> m =
        record(p.step, p.tokens, r.loss(), lr, tokensPerRound / r.seconds(), elapsed);
    boolean last = p.step >= plan.totalSteps();
    if (crossed(r.fromStep(), p.step, settings.getValidationInterval()) || last) {
      p.lastVal = evaluate(net, m);
    }
    run.appendMetrics(m);
    if (m.get("val_loss") != null || last) plot();
    listener.metricsWritten();
    double rate = p.tokensThisSession / ((System.nanoTime() - p.t0) / 1e9);
    double eta =
        (plan.totalSteps() - p.step) * (tokensPerRound / (double) plan.stepsPerRound()) / rate;
    log.printf(
        Locale.ROOT,
        "step %d/%d | epoch %d | loss %.4f%s | lr %.2e | %,.0f tok/s | elapsed %s | ETA %s%n",
        p.step,
        plan.totalSteps(),
        r.epoch() + 1,
        r.loss(),
        m.get("val_loss") == null
            ? ""
            : String.format(
                Locale.ROOT, " | val %.4f ppl %.2f", m.get("val_loss"), m.get("val_perplexity")),
        lr,
        tokensPerRound / r.seconds(),
        duration(elapsed),
        duration(Math.max(0, eta)));

    p.state =
        new TrainingState()
            .setStep(p.step)
            .setEpoch(r.epoch())
            .setTokensSeen(p.tokens)
            .putMetric("train_loss", r.loss())
            .putMetric("learning_rate", lr)
            .putMetric("elapsed_s", elapsed);
    if (m.get("val_loss") != null) p.state.putMetric("val_loss", (Double) m.get("val_loss"));
    if (crossed(r.fromStep(), p.step, settings.getCheckpointInterval()) || last) {
      checkpoint(net, p.state);
      p.lastCheckpoint = p.step;
    }
  }

  public static final String TRAINING_STATS = "training-stats.html";

  /** DL4J's timeline of this session's rounds; a failure loses the page, not the run. */
  private void writeTrainingStats(ParameterAveraging averaging) {
    java.nio.file.Path target = run.path().resolve(TRAINING_STATS);
    try {
      averaging.writeStatsPage(target);
      log.println("pretrain: Spark training stats: " + target);
    } catch (Exception e) {
      log.println("pretrain: no training stats page (" + e + ")");
    }
  }

  /**
   * The network a fresh run starts from: the model with Adam on {@code schedule}, weight decay and
   * clipping.
   */
  public static ComputationGraph newNetwork(
      GptConfig model, PretrainSettings settings, WarmupCosineSchedule schedule) {
    return GptModel.create(
        model,
        new RoundAdam(schedule),
        settings.getSeed(),
        DataType.FLOAT,
        settings.getWeightDecay(),
        settings.getGradientClip());
  }

  private void checkpoint(ComputationGraph net, TrainingState state) throws IOException {
    Checkpoint cp = new Checkpoint(net, tokenizer, tokenizerVocabSize, state).withLineage(lineage);
    java.nio.file.Path saved =
        run.saveCheckpoint(cp, state.getStep(), settings.getKeepCheckpoints());
    listener.checkpointSaved(saved);
    log.println("checkpoint: " + saved);
  }

  private boolean plotFailed;

  /**
   * Redraws loss.png and perplexity.png; a machine that cannot draw (no fonts) loses the plots, not
   * the run.
   */
  private void plot() {
    if (plotFailed) return;
    try {
      MetricsPlots.write(run.path());
    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
      plotFailed = true;
      log.println("pretrain: no plots (" + e + ")");
    }
  }

  /**
   * Validation loss on the driver, on a copy: evaluating the training network itself breaks the
   * next fit (DL4J M2).
   */
  private double evaluate(ComputationGraph net, Map<String, Object> m) {
    if (validation.isEmpty()) return Double.NaN;
    Inference.Perplexity p = new Inference(net.clone()).perplexity(validation);
    m.put("val_loss", p.meanNll());
    m.put("val_perplexity", p.perplexity());
    return p.meanNll();
  }

  private static Map<String, Object> record(
      long step, long tokens, Double trainLoss, double lr, Double tokPerS, double elapsed) {
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

  static String duration(double secs) {
    long s = Math.round(secs);
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
