package io.github.sparkgpt.jobs.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.fewshot.PromptBuilder.Prompt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scoring against a stub model whose log P(next | prefix) = -|next - last token of prefix|. */
class CandidateScorerTest {
  /**
   * Records every batch; the stub reads the token at each position, so a wrong position gives a
   * wrong score.
   */
  static final class Stub implements TokenLogProbs {
    final List<List<int[]>> batches = new ArrayList<>();

    @Override
    public double[][] logProbs(List<int[]> inputs, List<int[]> positions, List<int[]> targets) {
      batches.add(inputs);
      double[][] out = new double[inputs.size()][];
      for (int i = 0; i < inputs.size(); i++) {
        out[i] = new double[positions.get(i).length];
        for (int j = 0; j < out[i].length; j++) {
          out[i][j] = -Math.abs(targets.get(i)[j] - inputs.get(i)[positions.get(i)[j]]);
        }
      }
      return out;
    }
  }

  private static Prompt prompt(int[] context, int[]... candidates) {
    return new Prompt(context, candidates, 0, 0, false);
  }

  @Test
  void sumsCandidateLogProbsSharingPrefixesAndBatchingByLength() {
    Stub stub = new Stub();
    CandidateScorer scorer = new CandidateScorer(stub, 3);
    List<Prompt> prompts =
        List.of(
            prompt(new int[] {1, 2, 3}, new int[] {4}, new int[] {9}), // single tokens: 1 sequence
            prompt(
                new int[] {5},
                new int[] {6, 7},
                new int[] {6, 8, 2},
                new int[] {3}), // all fit in [5, 6, 8]
            prompt(new int[] {1}, new int[] {2, 3}, new int[] {4, 5})); // 2 sequences
    double[][] s = scorer.logLikelihoods(prompts, null);

    assertArrayEquals(new double[] {-1, -6}, s[0]);
    assertArrayEquals(new double[] {-(1 + 1), -(1 + 2 + 6), -2}, s[1]);
    assertArrayEquals(new double[] {-(1 + 1), -(3 + 1)}, s[2]);
    assertEquals(4, scorer.sequences());
    assertEquals(2, stub.batches.size());
    assertEquals(3, stub.batches.get(0).size());
    for (int[] in : stub.batches.get(0))
      assertTrue(in.length == 2 || in.length == 3); // shortest first
    assertEquals(3, stub.batches.get(1).get(0).length);

    assertEquals(1, CandidateScorer.argmax(new double[] {-2, -1, -3}));
    assertEquals(0, CandidateScorer.argmax(s[1]));
    double[] mean =
        CandidateScorer.normalized(
            s[1], prompts.get(1).candidates(), FewShotSettings.Normalize.MEAN);
    assertArrayEquals(new double[] {-1, -3, -2}, mean, 1e-12);
    assertEquals(0, CandidateScorer.argmax(mean));
    assertArrayEquals(
        s[1],
        CandidateScorer.normalized(
            s[1], prompts.get(1).candidates(), FewShotSettings.Normalize.SUM));
  }

  @Test
  void progressReportsEveryBatch() {
    List<long[]> seen = new ArrayList<>();
    new CandidateScorer(new Stub(), 2)
        .logLikelihoods(
            List.of(
                prompt(new int[] {1}, new int[] {2, 3}, new int[] {4, 5}),
                prompt(new int[] {1}, new int[] {2})),
            (done, total) -> seen.add(new long[] {done, total}));
    assertEquals(2, seen.size());
    assertArrayEquals(new long[] {3, 3}, seen.get(1));
  }
}
