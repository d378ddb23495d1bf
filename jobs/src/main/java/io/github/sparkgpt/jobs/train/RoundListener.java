package io.github.sparkgpt.jobs.train;

import java.io.IOException;

/**
 * What a job does after each round (metrics, evaluation, checkpoints); the network then holds the
 * averaged state.
 */
@FunctionalInterface
public interface RoundListener {
  void afterRound(RoundResult round) throws IOException;

  /**
   * A finished round: it started at optimizer step {@code fromStep} and ended at {@code step}, in
   * {@code epoch} (0-based); {@code loss} is the workers' average training loss, {@code seconds}
   * the time the fit took.
   */
  record RoundResult(
      long fromStep, long step, int epoch, boolean endsEpoch, double loss, double seconds) {}
}
