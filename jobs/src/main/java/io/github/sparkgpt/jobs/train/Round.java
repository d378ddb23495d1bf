package io.github.sparkgpt.jobs.train;

import org.apache.spark.api.java.JavaRDD;

/**
 * One averaging round's input: {@code batches} spread over the workers (one partition each), the
 * {@code epoch} they come from, the optimizer {@code steps} each worker takes on them, and whether
 * the epoch ends with this round.
 */
public record Round<B>(JavaRDD<B> batches, int epoch, long steps, boolean endsEpoch) {
  public Round {
    if (steps < 1)
      throw new IllegalArgumentException("a round takes at least one step, got " + steps);
  }
}
