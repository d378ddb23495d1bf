package io.github.sparkgpt.jobs.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.model.DpoBatch;
import io.github.sparkgpt.model.DpoModel;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptDpoLayer;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.ModelKind;
import io.github.sparkgpt.model.ResponseLogProbs;
import io.github.sparkgpt.model.train.RoundAdam;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * The preference-training network trains with the project's Spark parameter-averaging trainer on
 * local[2]: a tiny model learns to prefer responses that start with a given token.
 */
class DpoParameterAveragingTest {

  private static final int GOOD_START = 5;

  /** [n][prompt, chosen, rejected]: responses of 3 ids, chosen starts with 5, rejected does not. */
  private static int[][][] toyPairs(int n, Random rnd) {
    int[][][] out = new int[n][][];
    for (int i = 0; i < n; i++) {
      int bad = GOOD_START;
      while (bad == GOOD_START) bad = 1 + rnd.nextInt(63);
      out[i] =
          new int[][] {
            {1 + rnd.nextInt(63), 1 + rnd.nextInt(63)},
            {GOOD_START, 1 + rnd.nextInt(63), 1 + rnd.nextInt(63)},
            {bad, 1 + rnd.nextInt(63), 1 + rnd.nextInt(63)}
          };
    }
    return out;
  }

  /** [2][n]: log pi of the chosen and of the rejected responses. */
  private static double[][] scores(ComputationGraph lm, int[][][] pairs) {
    int[][][] byColumn = new int[3][pairs.length][];
    for (int i = 0; i < pairs.length; i++) {
      for (int j = 0; j < 3; j++) byColumn[j][i] = pairs[i][j];
    }
    return new double[][] {
      ResponseLogProbs.of(lm, byColumn[0], byColumn[1], 50),
      ResponseLogProbs.of(lm, byColumn[0], byColumn[2], 50)
    };
  }

  /** Held-out pairs whose implicit reward (log pi - log ref) favours the chosen response. */
  private static double rewardAccuracy(double[][] policy, double[][] ref) {
    int right = 0;
    for (int i = 0; i < policy[0].length; i++) {
      if (policy[0][i] - ref[0][i] > policy[1][i] - ref[1][i]) right++;
    }
    return right / (double) policy[0].length;
  }

  @Test
  void aTinyModelLearnsAPreferenceOnLocal2() throws Exception {
    GptConfig c = GptConfig.tiny();
    ComputationGraph reference =
        GptModel.create(c, new RoundAdam(new FixedSchedule(3e-3)), 21, DataType.FLOAT);
    Random rnd = new Random(21);
    int[][][] train = toyPairs(256, rnd), heldOut = toyPairs(100, rnd);
    double[][] trainRef = scores(reference, train), heldOutRef = scores(reference, heldOut);
    List<DataSet> batches = new ArrayList<>();
    for (int from = 0; from < train.length; from += 16) {
      List<DpoBatch.Pair> pairs = new ArrayList<>();
      for (int i = from; i < from + 16; i++) {
        pairs.add(
            new DpoBatch.Pair(
                train[i][0], train[i][1], train[i][2], trainRef[0][i], trainRef[1][i]));
      }
      batches.add(DpoBatch.pairs(pairs, c.getContextLength(), DataType.FLOAT));
    }
    ComputationGraph net =
        DpoModel.forTraining(reference, new GptDpoLayer(c, GptDpoLayer.Loss.SIGMOID, 0.1, 0));
    AveragingSettings settings = AveragingSettings.of(2, 16, 2, 21, false);
    try (JavaSparkContext jsc =
        new JavaSparkContext(
            "local[2]", "DpoParameterAveragingTest", ParameterAveraging.sparkConf())) {
      new ParameterAveraging(jsc, net, settings)
          .run(new EpochRounds<>(jsc, 6, settings, epoch -> batches), 0, round -> {});
    }
    ComputationGraph lm = DpoModel.languageModel(net);
    assertTrue(ModelKind.of(lm).isLanguageModel());
    // before training the policy is the reference: its own preference, log pi(c) > log pi(r)
    double before = rewardAccuracy(heldOutRef, new double[2][heldOut.length]);
    double after = rewardAccuracy(scores(lm, heldOut), heldOutRef);
    System.out.printf("held-out preference accuracy %.2f -> %.2f%n", before, after);
    // every chosen response starts with the same token, so a random model leans one way (0.69 here)
    assertTrue(after > before, "no gain: " + before + " -> " + after);
    assertTrue(after > 0.9, "held-out preference accuracy after DPO on Spark: " + after);
  }
}
