package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.model.TrainingState;

/**
 * Where a pretraining run stands between rounds: its counters, its validation losses and this
 * session's clock (tokens/s and the ETA count this session's work only; elapsed_s all sessions').
 */
final class Progress {
  long step, tokens, tokensThisSession, lastCheckpoint;
  double priorElapsed, firstVal, lastVal;

  /** The counters a checkpoint saved now would hold. */
  TrainingState state;

  final long t0 = System.nanoTime();

  /** Starts from {@code from}: a fresh state, or the counters of a checkpoint when resumed. */
  void start(TrainingState from, boolean resumed) {
    state = from;
    step = state.getStep();
    tokens = state.getTokensSeen();
    priorElapsed = state.getMetrics().getOrDefault("elapsed_s", 0.0);
    firstVal =
        lastVal = resumed ? state.getMetrics().getOrDefault("val_loss", Double.NaN) : Double.NaN;
    lastCheckpoint = resumed ? step : -1;
  }

  /** A round of {@code tokensPerRound} tokens ended at {@code newStep}. */
  void advance(long newStep, long tokensPerRound) {
    step = newStep;
    tokens += tokensPerRound;
    tokensThisSession += tokensPerRound;
  }

  double sessionSeconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds of training over all sessions of the run. */
  double elapsed() {
    return priorElapsed + sessionSeconds();
  }

  /** Seconds until the step budget is spent, at this session's rate. */
  double etaSeconds(RoundPlan plan) {
    double rate = tokensThisSession / sessionSeconds();
    return (plan.totalSteps() - step)
        * (plan.tokensPerRound() / (double) plan.stepsPerRound())
        / rate;
  }

  /** This session's tokens per second (0 before the clock has moved). */
  double tokensPerSecond() {
    double secs = sessionSeconds();
    return secs > 0 ? tokensThisSession / secs : 0;
  }
}
