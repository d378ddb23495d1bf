package io.github.sparkgpt.jobs.train;

/**
 * The settings of a run trained epoch by epoch on driver-held examples ({@link EpochTrainer}):
 * finetune's and sft's, each bound from its job's conf.
 */
public interface EpochSettings {
  int getEpochs();

  /** Examples per worker per step. */
  int getBatchSize();

  double getLearningRate();

  double getWarmupFraction();

  int getAveragingFrequency();

  /** 0 = Spark's default parallelism. */
  int getWorkers();

  int getEvalBatchSize();

  long getSeed();

  /** The first of these settings out of its range, as a message; null when all are in range. */
  static String problem(EpochSettings s) {
    if (s.getEpochs() < 1) return "epochs must be >= 1";
    if (s.getBatchSize() < 1) return "batch_size must be >= 1";
    if (!(s.getLearningRate() > 0)) return "learning_rate must be > 0";
    if (!(s.getWarmupFraction() >= 0 && s.getWarmupFraction() < 1))
      return "warmup_fraction must be in [0, 1)";
    if (s.getAveragingFrequency() < 1) return "averaging_frequency must be >= 1";
    if (s.getWorkers() < 0) return "workers must be >= 0 (0 = default parallelism)";
    if (s.getEvalBatchSize() < 1) return "eval_batch_size must be >= 1";
    return null;
  }
}
