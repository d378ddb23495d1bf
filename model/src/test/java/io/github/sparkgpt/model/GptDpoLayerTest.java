package io.github.sparkgpt.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class GptDpoLayerTest {

  private DataType before;

  @BeforeEach
  void doublePrecision() {
    before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterEach
  void restore() {
    Nd4j.setDefaultDataTypes(before, before);
  }

  private static final int[][] PROMPTS = {{1, 5}, {3}};
  private static final int[][] CHOSEN = {{2, 6, 3}, {1}};
  private static final int[][] REJECTED = {{4, 0}, {2, 2, 2, 2}};
  private static final double[][] REF = {{-7.1, -6.3}, {-2.0, -9.0}};

  private static List<DpoBatch.Pair> pairs() {
    return List.of(
        new DpoBatch.Pair(PROMPTS[0], CHOSEN[0], REJECTED[0], REF[0][0], REF[0][1]),
        new DpoBatch.Pair(PROMPTS[1], CHOSEN[1], REJECTED[1], REF[1][0], REF[1][1]));
  }

  private static ComputationGraph dpo(
      ComputationGraph lm, GptDpoLayer.Loss loss, double beta, double eps) {
    return DpoModel.forTraining(lm, new GptDpoLayer(GptModel.configOf(lm), loss, beta, eps));
  }

  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  @Test
  void lossEqualsTheHandComputedPairLoss() {
    ComputationGraph lm = ResponseLogProbsTest.smallModel(5);
    double beta = 0.5, eps = 0.2;
    double[] z = new double[2];
    for (int i = 0; i < 2; i++) {
      double c = ResponseLogProbsTest.byHand(lm, PROMPTS[i], CHOSEN[i]);
      double r = ResponseLogProbsTest.byHand(lm, PROMPTS[i], REJECTED[i]);
      z[i] = (c - REF[i][0]) - (r - REF[i][1]);
    }
    double sigmoid = 0, smoothed = 0, ipo = 0;
    for (double x : z) {
      sigmoid += softplus(-beta * x) / 2; // -log sigmoid(beta z), mean over the 2 pairs
      smoothed += ((1 - eps) * softplus(-beta * x) + eps * softplus(beta * x)) / 2;
      ipo += (x - 1 / (2 * beta)) * (x - 1 / (2 * beta)) / 2;
    }
    DataSet ds = DpoBatch.pairs(pairs(), 4, DataType.DOUBLE);
    assertEquals(sigmoid, dpo(lm, GptDpoLayer.Loss.SIGMOID, beta, 0).score(ds), 1e-10);
    assertEquals(smoothed, dpo(lm, GptDpoLayer.Loss.SIGMOID, beta, eps).score(ds), 1e-10);
    assertEquals(ipo, dpo(lm, GptDpoLayer.Loss.IPO, beta, 0).score(ds), 1e-10);
  }

  /** The gradient of -log pi(response | prompt): the LM's per-token mean gradient x tokens. */
  private static org.nd4j.linalg.api.ndarray.INDArray nllGradient(
      ComputationGraph lm, int[] prompt, int[] response) {
    DataSet ds =
        DpoBatch.sequences(new int[][] {prompt}, new int[][] {response}, 4, DataType.DOUBLE);
    lm.setInputs(ds.getFeatures());
    lm.setLabels(ds.getLabels());
    lm.computeGradientAndScore();
    return lm.gradient().gradient().mul(response.length); // mul copies the reused gradient view
  }

  @Test
  void gradientIsTheWeightedDifferenceOfTheTwoNllGradients() {
    // d/dtheta -log sigmoid(beta z) = beta sigmoid(-beta z) (grad NLL(c) - grad NLL(r))
    ComputationGraph lm = ResponseLogProbsTest.smallModel(13);
    int[] prompt = {1, 5}, chosen = {2, 6, 3}, rejected = {4, 0};
    double beta = 0.5, refChosen = -3, refRejected = -4;
    double z =
        (ResponseLogProbsTest.byHand(lm, prompt, chosen) - refChosen)
            - (ResponseLogProbsTest.byHand(lm, prompt, rejected) - refRejected);
    double weight = beta / (1 + Math.exp(beta * z));
    org.nd4j.linalg.api.ndarray.INDArray expected =
        nllGradient(lm, prompt, chosen).sub(nllGradient(lm, prompt, rejected)).mul(weight);
    ComputationGraph net = dpo(lm, GptDpoLayer.Loss.SIGMOID, beta, 0);
    DataSet ds =
        DpoBatch.pairs(
            List.of(new DpoBatch.Pair(prompt, chosen, rejected, refChosen, refRejected)),
            4,
            DataType.DOUBLE);
    net.setInputs(ds.getFeatures());
    net.setLabels(ds.getLabels());
    net.computeGradientAndScore();
    assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "a gradient worth comparing");
    assertEquals(0.0, net.gradient().gradient().sub(expected).amaxNumber().doubleValue(), 1e-10);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    // pre-LN with dropout (a fixed mask per check, see GptLmLayerTest) for the smoothed sigmoid and
    // IPO; post-LN without, on a batch of one pair (a product of shape [1, 1] once had no gradient)
    gradientCheck("pre", 0.1, GptDpoLayer.Loss.SIGMOID, 0.1, pairs());
    gradientCheck("pre", 0.1, GptDpoLayer.Loss.IPO, 0, pairs());
    gradientCheck("post", 0, GptDpoLayer.Loss.SIGMOID, 0, pairs().subList(0, 1));
  }

  private static void gradientCheck(
      String ln, double dropout, GptDpoLayer.Loss loss, double eps, List<DpoBatch.Pair> pairs) {
    ComputationGraph lm =
        GptModel.create(
            GptLmLayerTest.checkConfig(ln, dropout),
            new org.nd4j.linalg.learning.config.NoOp(),
            9,
            DataType.DOUBLE);
    DataSet ds = DpoBatch.pairs(pairs, 4, DataType.DOUBLE);
    assertTrue(
        GptLmLayerTest.gradientsMatch(dpo(lm, loss, 0.5, eps), ds),
        "gradient check failed: " + ln + "-LN, " + loss + ", smoothing " + eps);
  }

  @Test
  void betaZeroIsRefusedWithOneLine() {
    GptConfig c = GptConfig.tiny();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GptDpoLayer(c, GptDpoLayer.Loss.SIGMOID, 0, 0));
    assertEquals(
        "dpo beta must be > 0 (0 gives a constant loss with no gradient), got 0.0", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new GptDpoLayer(c, GptDpoLayer.Loss.IPO, -1, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new GptDpoLayer(c, GptDpoLayer.Loss.SIGMOID, 0.1, 0.5));
    assertThrows(
        IllegalArgumentException.class, () -> new GptDpoLayer(c, GptDpoLayer.Loss.IPO, 0.1, 0.1));
  }

  @Test
  void identicalChosenAndRejectedGiveLog2AndNoGradient() {
    ComputationGraph lm = ResponseLogProbsTest.smallModel(3);
    int[] prompt = {1, 5}, response = {2, 6, 3};
    double ref = ResponseLogProbs.of(lm, new int[][] {prompt}, new int[][] {response}, 1)[0];
    DataSet ds =
        DpoBatch.pairs(
            List.of(new DpoBatch.Pair(prompt, response, response, ref, ref)), 4, DataType.DOUBLE);
    ComputationGraph net = dpo(lm, GptDpoLayer.Loss.SIGMOID, 0.1, 0);
    net.setInputs(ds.getFeatures());
    net.setLabels(ds.getLabels());
    net.computeGradientAndScore();
    assertEquals(Math.log(2), net.score(), 1e-12);
    assertEquals(0.0, net.gradient().gradient().amaxNumber().doubleValue(), 1e-12);
    // and a different rejected response does give a gradient (the check can fail)
    DataSet other =
        DpoBatch.pairs(
            List.of(new DpoBatch.Pair(prompt, response, new int[] {4}, ref, ref)),
            4,
            DataType.DOUBLE);
    net.setInputs(other.getFeatures());
    net.setLabels(other.getLabels());
    net.computeGradientAndScore();
    assertTrue(net.gradient().gradient().amaxNumber().doubleValue() > 1e-6);
  }
}
