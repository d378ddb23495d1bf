package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class ResponseLogProbsTest {

  /** A double-precision model small enough to check by hand (context 4: at most 5 ids). */
  static ComputationGraph smallModel(long seed) {
    GptConfig c = GptLmLayerTest.checkConfig("pre", 0);
    Nd4j.getRandom().setSeed(seed);
    return GptModel.create(c, new NoOp(), seed, DataType.DOUBLE);
  }

  /**
   * log pi(response | prompt) from the full forward logits of prompt + response alone (no padding,
   * no batch): log-softmax by hand at each position that predicts a response token.
   */
  static double byHand(ComputationGraph lm, int[] prompt, int[] response) {
    int n = prompt.length + response.length;
    double[][] in = new double[1][n - 1];
    int[] s = new int[n];
    for (int i = 0; i < n; i++) s[i] = i < prompt.length ? prompt[i] : response[i - prompt.length];
    for (int i = 0; i < n - 1; i++) in[0][i] = s[i];
    INDArray logits = lm.outputSingle(Nd4j.createFromArray(in)); // [1, n-1, V]
    double sum = 0;
    for (int t = prompt.length - 1; t < n - 1; t++) {
      double[] row =
          logits
              .get(
                  org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                  org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                  org.nd4j.linalg.indexing.NDArrayIndex.all())
              .toDoubleVector();
      double max = Double.NEGATIVE_INFINITY, z = 0;
      for (double x : row) max = Math.max(max, x);
      for (double x : row) z += Math.exp(x - max);
      sum += row[s[t + 1]] - max - Math.log(z);
    }
    return sum;
  }

  @Test
  void equalsTheSumOverResponseTokensOfTheFullForwardLogits() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      ComputationGraph lm = smallModel(11);
      int[][] prompts = {{1, 5}, {3}, {2, 2, 2, 2}, {6}};
      int[][] responses = {{2, 6, 3}, {4, 0, 1, 5}, {1}, {6}};
      // batch 3: two forward passes, mixed lengths and padding in each
      double[] got = ResponseLogProbs.of(lm, prompts, responses, 3);
      for (int i = 0; i < prompts.length; i++) {
        assertEquals(byHand(lm, prompts[i], responses[i]), got[i], 1e-10, "sequence " + i);
        assertTrue(got[i] < 0);
      }
      // the prompt is not counted: a longer prompt with the same response changes the value only
      // through the context, and a one-token response's value is one log-probability
      assertNotEquals(
          got[3], ResponseLogProbs.of(lm, new int[][] {{5, 6}}, new int[][] {{6}}, 1)[0]);
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }

  @Test
  void refusesWhatDoesNotFit() {
    ComputationGraph lm = smallModel(1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResponseLogProbs.of(lm, new int[][] {{1, 2, 3}}, new int[][] {{1, 2, 3}}, 4));
    assertTrue(e.getMessage().contains("together <= 5"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ResponseLogProbs.of(lm, new int[][] {{1}}, new int[][] {{}}, 4));
    assertFalse(DpoBatch.fits(new int[] {}, new int[] {1}, 4));
  }
}
