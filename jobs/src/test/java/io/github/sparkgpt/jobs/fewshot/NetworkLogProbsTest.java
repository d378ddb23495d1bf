package io.github.sparkgpt.jobs.fewshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.model.GptModel;
import io.github.sparkgpt.model.Inference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A padded batch gives every sequence the same log-probs as Inference scoring it alone. */
class NetworkLogProbsTest {
  @Test
  void paddedBatchMatchesOneSequenceAtATime() {
    Inference inference = new Inference(GptModel.create(GptConfig.tiny(), 1e-3, 3));
    Random r = new Random(1);
    List<int[]> full = new ArrayList<>();
    for (int len : new int[] {4, 17, 9})
      full.add(r.ints(len, 0, 64).toArray()); // 17 = context 16 + target
    List<int[]> inputs = new ArrayList<>(),
        positions = new ArrayList<>(),
        targets = new ArrayList<>();
    for (int[] f : full) {
      inputs.add(java.util.Arrays.copyOf(f, f.length - 1));
      positions.add(new int[] {0, f.length - 2});
      targets.add(new int[] {f[1], f[f.length - 1]});
    }
    double[][] got = new NetworkLogProbs(inference).logProbs(inputs, positions, targets);
    for (int i = 0; i < full.size(); i++) {
      double[] alone = inference.tokenLogLikelihoods(full.get(i));
      assertEquals(alone[0], got[i][0], 1e-4);
      assertEquals(alone[alone.length - 1], got[i][1], 1e-4);
      assertEquals(true, got[i][1] < 0);
    }
  }
}
