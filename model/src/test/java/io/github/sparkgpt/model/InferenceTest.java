package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class InferenceTest {

  /**
   * A tiny model trained on one cyclic sequence 1 2 3 ... 10 1 2 3 ... (end-of-text id 0 after 10
   * twice).
   */
  private static ComputationGraph net;

  private static final int[] SEQ = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4, 5, 6};

  @BeforeAll
  static void train() {
    net = GptModel.create(GptConfig.tiny(), 1e-2, 11);
    DataSet ds = GptBatch.fromSequences(new int[][] {SEQ}, 16);
    for (int i = 0; i < 120; i++) net.fit(ds);
  }

  @Test
  void logLikelihoodAgreesWithTheTrainingLoss() {
    Inference inf = new Inference(net);
    double[] ll = inf.tokenLogLikelihoods(SEQ);
    assertEquals(SEQ.length - 1, ll.length);
    double mean = 0;
    for (double x : ll) mean -= x / ll.length;
    assertEquals(net.score(GptBatch.fromSequences(new int[][] {SEQ}, 16)), mean, 1e-4);
    Inference.Perplexity p = inf.perplexity(List.of(SEQ, new int[] {3, 4, 5}));
    assertEquals(SEQ.length - 1 + 2, p.tokens());
    assertTrue(p.perplexity() < 1.5, p.toString());
  }

  @Test
  void greedyGenerationContinuesThePatternAndStopsAtEndOfText() {
    Generator g =
        new Generator(new Inference(net)).setTemperature(0).setEndOfText(0).setMaxNewTokens(13);
    assertArrayEquals(
        new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0}, g.generate(new int[] {1, 2, 3}));
  }

  @Test
  void samplingIsDeterministicForASeed() {
    Generator g =
        new Generator(new Inference(net))
            .setTemperature(1.5)
            .setTopK(20)
            .setTopP(0.95)
            .setMaxNewTokens(12);
    int[] a = g.setSeed(7).generate(new int[] {2});
    int[] b = g.setSeed(7).generate(new int[] {2});
    assertArrayEquals(a, b);
    assertEquals(13, a.length);
    Generator wide = new Generator(new Inference(net)).setTemperature(5).setMaxNewTokens(12);
    assertFalse(
        java.util.Arrays.equals(
            wide.setSeed(1).generate(new int[] {2}), wide.setSeed(2).generate(new int[] {2})));
  }
}
