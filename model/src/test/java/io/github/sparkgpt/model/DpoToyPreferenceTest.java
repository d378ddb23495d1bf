package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** A tiny model learns a toy preference (responses that end with token 7) in plain DL4J. */
class DpoToyPreferenceTest {

  private static final int GOOD_END = 7;

  /** Prompt: 3 ids; responses: 3 ids then the end, 7 for chosen and anything else for rejected. */
  private static int[][][] pairs(int n, Random rnd) {
    int[][][] out = new int[n][3][];
    for (int[][] p : out) {
      p[0] = new int[] {8 + rnd.nextInt(56), 8 + rnd.nextInt(56), 8 + rnd.nextInt(56)};
      p[1] = new int[] {8 + rnd.nextInt(56), 8 + rnd.nextInt(56), 8 + rnd.nextInt(56), GOOD_END};
      p[2] = new int[] {8 + rnd.nextInt(56), 8 + rnd.nextInt(56), 8 + rnd.nextInt(56), 0};
      while (p[2][3] == 0 || p[2][3] == GOOD_END) p[2][3] = rnd.nextInt(64);
    }
    return out;
  }

  private static double[][] logProbs(ComputationGraph lm, int[][][] pairs) {
    int[][] prompts = new int[pairs.length][], chosen = new int[pairs.length][];
    int[][] rejected = new int[pairs.length][];
    for (int i = 0; i < pairs.length; i++) {
      prompts[i] = pairs[i][0];
      chosen[i] = pairs[i][1];
      rejected[i] = pairs[i][2];
    }
    return new double[][] {
      ResponseLogProbs.of(lm, prompts, chosen, 64), ResponseLogProbs.of(lm, prompts, rejected, 64)
    };
  }

  /** Fraction of pairs whose chosen score beats the rejected one's, each minus a baseline. */
  private static double accuracy(double[][] scores, double[][] baseline) {
    int right = 0;
    for (int i = 0; i < scores[0].length; i++) {
      double c = scores[0][i] - (baseline == null ? 0 : baseline[0][i]);
      double r = scores[1][i] - (baseline == null ? 0 : baseline[1][i]);
      if (c > r) right++;
    }
    return right / (double) scores[0].length;
  }

  @Test
  void learnsToPreferResponsesEndingWithAGivenToken() {
    GptConfig c = GptConfig.tiny();
    ComputationGraph reference = GptModel.create(c, new Adam(3e-3), 16, DataType.FLOAT);
    Random rnd = new Random(16);
    int[][][] train = pairs(256, rnd), heldOut = pairs(200, rnd);
    double[][] trainRef = logProbs(reference, train), heldOutRef = logProbs(reference, heldOut);
    double before = accuracy(heldOutRef, null);
    assertTrue(before > 0.35 && before < 0.65, "the starting model has no preference: " + before);

    ComputationGraph dpo =
        DpoModel.forTraining(reference, new GptDpoLayer(c, GptDpoLayer.Loss.SIGMOID, 0.1, 0));
    List<DpoBatch.Pair> batch = new ArrayList<>();
    for (int epoch = 0; epoch < 3; epoch++) {
      for (int i = 0; i < train.length; i++) {
        int[][] p = train[i];
        batch.add(new DpoBatch.Pair(p[0], p[1], p[2], trainRef[0][i], trainRef[1][i]));
        if (batch.size() == 16) {
          dpo.fit(DpoBatch.pairs(batch, c.getContextLength(), DataType.FLOAT));
          batch.clear();
        }
      }
    }
    double[][] after = logProbs(DpoModel.languageModel(dpo), heldOut);
    double rewardAccuracy = accuracy(after, heldOutRef), policyAccuracy = accuracy(after, null);
    System.out.printf(
        "held-out preference accuracy: %.3f before, %.3f after (implicit reward), %.3f (policy)%n",
        before, rewardAccuracy, policyAccuracy);
    assertTrue(rewardAccuracy > 0.9, "implicit-reward accuracy " + rewardAccuracy);
    assertTrue(policyAccuracy > 0.9, "policy accuracy " + policyAccuracy);
  }
}
