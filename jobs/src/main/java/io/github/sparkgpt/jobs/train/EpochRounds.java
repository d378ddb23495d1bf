package io.github.sparkgpt.jobs.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Rounds cut from batches held on the driver (task data sets are small): each epoch's batches, in
 * order, in rounds of {@code workers x averaging frequency}, each round split over at most {@code
 * workers} partitions. A worker takes as many steps as its largest share, so a short last round
 * takes fewer.
 */
public final class EpochRounds<B> implements BatchSource<B> {
  private final JavaSparkContext jsc;
  private final int epochs;
  private final int workers;
  private final int perRound;
  private final IntFunction<List<B>> epochBatches;
  private int epoch = -1;
  private List<B> batches = List.of();
  private int from;

  /**
   * {@code epochBatches} gives the batches of an epoch (0-based), e.g. shuffled with a seed per
   * epoch.
   */
  public EpochRounds(
      JavaSparkContext jsc,
      int epochs,
      AveragingSettings settings,
      IntFunction<List<B>> epochBatches) {
    if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    this.jsc = jsc;
    this.epochs = epochs;
    this.workers = settings.workers();
    this.perRound = settings.batchesPerRound();
    this.epochBatches = epochBatches;
  }

  /**
   * Optimizer steps per worker for {@code batchesPerEpoch} batches in each of {@code epochs}
   * epochs.
   */
  public static long totalSteps(long batchesPerEpoch, int epochs, int workers) {
    return epochs * ceilDiv(batchesPerEpoch, workers);
  }

  @Override
  public Optional<Round<B>> next(long step) {
    while (from >= batches.size()) {
      if (epoch + 1 >= epochs) return Optional.empty();
      batches = epochBatches.apply(++epoch);
      from = 0;
    }
    List<B> round = batches.subList(from, Math.min(batches.size(), from + perRound));
    from += round.size();
    int slices = Math.min(workers, round.size());
    return Optional.of(
        new Round<>(
            jsc.parallelize(new ArrayList<>(round), slices),
            epoch,
            ceilDiv(round.size(), slices),
            from >= batches.size()));
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
