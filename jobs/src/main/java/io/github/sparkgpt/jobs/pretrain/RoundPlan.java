package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.jobs.train.AveragingSettings;
import io.github.sparkgpt.jobs.train.BatchSource;
import io.github.sparkgpt.jobs.train.Round;
import java.util.Optional;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How a pretraining run is cut into averaging rounds: each round holds {@code roundSequences}
 * sequences (a full round of {@code workers x batch x averaging_frequency}, or the whole split when
 * it is smaller), of which each worker fits {@code stepsPerRound} batches; {@code totalSteps} is
 * the step budget (max_steps, or whole epochs).
 */
public record RoundPlan(
    AveragingSettings averaging,
    long roundSize,
    long roundSequences,
    long stepsPerRound,
    long roundsPerEpoch,
    long totalSteps,
    long tokensPerRound) {

  public static RoundPlan of(
      PretrainSettings settings, int workers, int contextLength, TrainingData data) {
    AveragingSettings averaging =
        AveragingSettings.of(
            workers,
            settings.getBatchSize(),
            settings.getAveragingFrequency(),
            settings.getSeed(),
            settings.isTrainingStats());
    long roundSize = (long) averaging.batchesPerRound() * settings.getBatchSize();
    long roundSeqs = data.roundSequences(roundSize);
    long stepsPerRound =
        ceilDiv(ceilDiv(roundSeqs, settings.getBatchSize()), workers); // fits per worker each round
    long roundsPerEpoch = data.roundsPerEpoch(roundSize);
    long totalSteps =
        settings.getMaxSteps() > 0
            ? settings.getMaxSteps()
            : settings.getEpochs() * roundsPerEpoch * stepsPerRound;
    return new RoundPlan(
        averaging,
        roundSize,
        roundSeqs,
        stepsPerRound,
        roundsPerEpoch,
        totalSteps,
        roundSeqs * contextLength);
  }

  /**
   * The rounds of {@code data} from any step until the budget is spent: epoch by epoch, in a seeded
   * order.
   */
  public BatchSource<DataSet> rounds(TrainingData data) {
    return step -> {
      if (step >= totalSteps) return Optional.empty();
      long roundIndex = step / stepsPerRound;
      int epoch = (int) (roundIndex / roundsPerEpoch);
      long inEpoch = roundIndex % roundsPerEpoch;
      return Optional.of(
          new Round<>(
              data.round(
                  epoch,
                  inEpoch,
                  roundSize,
                  averaging.batchSizePerWorker(),
                  averaging.workers(),
                  averaging.seed()),
              epoch,
              stepsPerRound,
              inEpoch == roundsPerEpoch - 1));
    };
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
