package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.jobs.metrics.MetricsPlots;
import io.github.sparkgpt.jobs.train.ParameterAveraging;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.Lineage;
import io.github.sparkgpt.model.TrainingState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What a pretraining run writes into its run directory as it trains, and whom it tells: metrics
 * lines, the loss and perplexity plots, checkpoints and DL4J's training-stats page.
 */
final class RunOutputs {
  private final RunDirectory run;
  private final byte[] tokenizer;
  private final int tokenizerVocabSize;
  private final PretrainSettings settings;
  private final PrintStream log;
  private Lineage lineage = new Lineage("pretrain");
  private Trainer.Listener listener = new Trainer.Listener() {};
  private boolean plotFailed;

  RunOutputs(
      RunDirectory run,
      byte[] tokenizer,
      int tokenizerVocabSize,
      PretrainSettings settings,
      PrintStream log) {
    this.run = run;
    this.tokenizer = tokenizer;
    this.tokenizerVocabSize = tokenizerVocabSize;
    this.settings = settings;
    this.log = log;
  }

  void setListener(Trainer.Listener l) {
    listener = l;
  }

  void setLineage(Lineage l) {
    lineage = l;
  }

  /**
   * One line of metrics.jsonl; {@code val_loss} and {@code val_perplexity} come from validation.
   */
  static Map<String, Object> line(
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

  /** Appends {@code line} to metrics.jsonl, redraws the plots when {@code redraw}, tells. */
  void metrics(Map<String, Object> line, boolean redraw) throws IOException {
    run.appendMetrics(line);
    if (redraw) plot();
    listener.metricsWritten();
  }

  void checkpoint(ComputationGraph net, TrainingState state) throws IOException {
    Checkpoint cp = new Checkpoint(net, tokenizer, tokenizerVocabSize, state).withLineage(lineage);
    Path saved = run.saveCheckpoint(cp, state.getStep(), settings.getKeepCheckpoints());
    listener.checkpointSaved(saved);
    log.println("checkpoint: " + saved);
  }

  /** DL4J's timeline of this session's rounds; a failure loses the page, not the run. */
  void trainingStats(ParameterAveraging averaging) {
    Path target = run.path().resolve(Trainer.TRAINING_STATS);
    try {
      averaging.writeStatsPage(target);
      log.println("pretrain: Spark training stats: " + target);
    } catch (Exception e) {
      log.println("pretrain: no training stats page (" + e + ")");
    }
  }

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
}
