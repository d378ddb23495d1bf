package io.github.sparkgpt.jobs.train;

/**
 * How DL4J's parameter averaging spreads a round: {@code workers} data-parallel copies, each
 * fitting batches of {@code batchSizePerWorker} examples and averaging every {@code
 * averagingFrequency} of them; {@code prefetchBatches} batches are loaded ahead on each worker (0,
 * DL4J's default, loads none ahead); {@code seed} seeds the workers; {@code trainingStats} collects
 * DL4J's per-round timeline.
 */
public record AveragingSettings(
    int workers,
    int batchSizePerWorker,
    int averagingFrequency,
    int prefetchBatches,
    long seed,
    boolean trainingStats) {
  /** DL4J's default: no batches loaded ahead. */
  public static final int DEFAULT_PREFETCH_BATCHES = 0;

  public AveragingSettings {
    if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    if (batchSizePerWorker < 1)
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSizePerWorker);
    if (averagingFrequency < 1) {
      throw new IllegalArgumentException(
          "averaging frequency must be >= 1, got " + averagingFrequency);
    }
    if (prefetchBatches < 0)
      throw new IllegalArgumentException("prefetch must be >= 0, got " + prefetchBatches);
  }

  /** The settings with DL4J's default prefetch. */
  public static AveragingSettings of(
      int workers,
      int batchSizePerWorker,
      int averagingFrequency,
      long seed,
      boolean trainingStats) {
    return new AveragingSettings(
        workers,
        batchSizePerWorker,
        averagingFrequency,
        DEFAULT_PREFETCH_BATCHES,
        seed,
        trainingStats);
  }

  /** Batches all workers fit in one round. */
  public int batchesPerRound() {
    return workers * averagingFrequency;
  }
}
