package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.jobs.train.RoundListener.RoundResult;
import io.github.sparkgpt.model.GptConfig;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The pretraining loop's lines on the driver's console: the plan once, then one line a round. */
final class TrainingLog {
  private final PrintStream log;

  TrainingLog(PrintStream log) {
    this.log = log;
  }

  /** The model's size, the data-parallel layout and the step budget. */
  void plan(
      GptConfig model,
      int workers,
      PretrainSettings settings,
      long sequences,
      RoundPlan plan,
      long fromStep) {
    log.printf(
        Locale.ROOT,
        "pretrain: %,d parameters, %d workers x batch %d x T %d, averaging every %d steps; "
            + "%,d training sequences = %d rounds/epoch; %,d steps (from %,d)%n",
        model.parameterCount(),
        workers,
        settings.getBatchSize(),
        model.getContextLength(),
        settings.getAveragingFrequency(),
        sequences,
        plan.roundsPerEpoch(),
        plan.totalSteps(),
        fromStep);
  }

  void untrained(long step, double valLoss) {
    log.printf(Locale.ROOT, "step %d: val loss %.4f (untrained)%n", step, valLoss);
  }

  /** A round's line from its metrics line {@code m} (validation when it ran). */
  void round(
      RoundPlan plan, Progress p, RoundResult r, Map<String, Object> m, double lr, double elapsed) {
    double eta = p.etaSeconds(plan);
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
        plan.tokensPerRound() / r.seconds(),
        duration(elapsed),
        duration(Math.max(0, eta)));
  }

  static String duration(double secs) {
    long s = Math.round(secs);
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
