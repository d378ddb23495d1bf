package io.github.sparkgpt.jobs.pretrain;

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
import java.util.List;
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
  public static final String TRAINING_STATS = "training-stats.html";

  private final PretrainSettings settings;
  private final GptConfig model;
  private final List<int[]> validation;
  private final RunOutputs outputs;
  private final TrainingLog log;

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
    outputs.setListener(l);
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
    this.validation = validation;
    this.outputs = new RunOutputs(run, tokenizer, tokenizerVocabSize, settings, log);
    this.log = new TrainingLog(log);
  }

  /** What every checkpoint of this run records it came from (data manifest, resumed checkpoint). */
  public Trainer setLineage(Lineage l) {
    outputs.setLineage(l);
    return this;
  }

  /** What a finished run reached. */
  public record Result(
      long step,
      long tokensSeen,
      double firstValLoss,
      double lastValLoss,
      double tokensPerSecond) {}

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
    p.start(resumeFrom == null ? new TrainingState() : resume(net, resumeFrom), resumeFrom != null);

    ParameterAveraging averaging = new ParameterAveraging(jsc, net, plan.averaging());
    log.plan(model, workers, settings, data.count(), plan, p.step);
    if (resumeFrom == null) untrained(net, schedule, p);
    averaging.run(plan.rounds(data), p.step, r -> afterRound(net, plan, schedule, p, r));
    if (p.lastCheckpoint != p.step)
      outputs.checkpoint(net, p.state); // resumed past the budget: the end state is on disk
    if (settings.isTrainingStats()) outputs.trainingStats(averaging);
    return new Result(p.step, p.tokens, p.firstVal, p.lastVal, p.tokensPerSecond());
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

  /** A fresh run's first metrics line: the untrained network's validation loss at step 0. */
  private void untrained(ComputationGraph net, WarmupCosineSchedule schedule, Progress p)
      throws IOException {
    Map<String, Object> m =
        RunOutputs.line(p.step, p.tokens, null, schedule.at(p.step), null, p.priorElapsed);
    p.firstVal = p.lastVal = evaluate(net, m);
    outputs.metrics(m, true);
    if (!validation.isEmpty()) log.untrained(p.step, p.firstVal);
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
    p.advance(r.step(), tokensPerRound);
    double elapsed = p.elapsed();
    double lr = schedule.at(r.fromStep());
    Map<String, Object> m =
        RunOutputs.line(p.step, p.tokens, r.loss(), lr, tokensPerRound / r.seconds(), elapsed);
    boolean last = p.step >= plan.totalSteps();
    if (crossed(r.fromStep(), p.step, settings.getValidationInterval()) || last) {
      p.lastVal = evaluate(net, m);
    }
    outputs.metrics(m, m.get("val_loss") != null || last);
    log.round(plan, p, r, m, lr, elapsed);

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
      outputs.checkpoint(net, p.state);
      p.lastCheckpoint = p.step;
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

  /** True when (prev, now] contains a multiple of interval. */
  static boolean crossed(long prev, long now, long interval) {
    return now / interval > prev / interval;
  }
}
